package dev.autopartition.internal.migrate;

import java.util.LinkedHashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * A script statement as the JSON object stored in the catalog. It is read back by the server's own JSON functions
 * ({@link MigrationStore#script}), so this side only writes.
 */
final class ScriptJson {
    static final String SQL = "sql";
    static final String LOCK_MODE = "lockMode";
    static final String LOCKED_OBJECT = "lockedObject";
    static final String LOCK = "lock";
    static final String EXECUTION = "execution";
    static final String CREATES = "creates";

    private ScriptJson() {}

    static String write(ScriptStatement statement) {
        Map<String, @Nullable String> fields = new LinkedHashMap<>();
        fields.put(SQL, statement.sql());
        fields.put(LOCK_MODE, statement.lockMode().name());
        fields.put(LOCKED_OBJECT, statement.lockedObject());
        fields.put(LOCK, statement.lock());
        fields.put(EXECUTION, statement.execution().name());
        fields.put(CREATES, statement.creates());
        return SpecJson.object(fields);
    }
}
