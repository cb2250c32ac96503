package dev.autopartition.internal.migrate;

import dev.autopartition.Execution;
import dev.autopartition.LockMode;
import dev.autopartition.TableName;
import dev.autopartition.internal.sql.KeyType;
import dev.autopartition.internal.sql.Sql;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The SQL of the zero-copy strategy: the original table becomes the partition {@code <table>_legacy} for every key
 * below a cut point, proven by a CHECK validated online, so the cutover is metadata only. Unique keys that must gain
 * the partition key are built beside the originals with {@code CREATE UNIQUE INDEX CONCURRENTLY} (ATTACH adopts them),
 * and copies of the original keys are built too, so an undo can restore them without a scan under lock.
 */
final class AttachSql {
    static final String LEGACY_CHECK = "autopartition_legacy";
    private static final String WIDE_SUFFIX = "_apwide";
    private static final String UNDO_SUFFIX = "_apundo";
    private static final String LEGACY_SUFFIX = "_legacy";

    private final SourceTable source;
    private final TableName newTable;
    private final TableName legacy;
    private final long cut;

    AttachSql(SourceTable source, String newName, long cut) {
        this.source = source;
        this.newTable = TableName.of(source.name().schema(), newName);
        this.legacy = TableName.of(source.name().schema(), legacyName(source.name()));
        this.cut = cut;
    }

    static String legacyName(TableName table) {
        return Sql.truncateToBytes(table.name(), Sql.MAX_IDENTIFIER_BYTES - LEGACY_SUFFIX.length()) + LEGACY_SUFFIX;
    }

    private static String suffixed(String name, String suffix) {
        return Sql.truncateToBytes(name, Sql.MAX_IDENTIFIER_BYTES - suffix.length()) + suffix;
    }

    private List<SourceTable.Unique> widened() {
        return source.uniques().stream()
                .filter(u -> !u.columns().contains(source.keyColumn()))
                .toList();
    }

    private static String columns(List<String> columns) {
        return columns.stream().map(Sql::quote).collect(Collectors.joining(", "));
    }

    /** The CHECK that proves every row lies below the cut: added NOT VALID (brief lock), validated online. */
    ScriptStatement addCheck() {
        String key = Sql.quote(source.keyColumn());
        return ScriptStatement.of(
                "ALTER TABLE " + source.name().quoted() + " ADD CONSTRAINT " + Sql.quote(LEGACY_CHECK) + " CHECK ("
                        + key + " IS NOT NULL AND " + key + " < "
                        + source.keyType().literal(cut) + ") NOT VALID",
                LockMode.ACCESS_EXCLUSIVE,
                source.name().quoted(),
                "ACCESS EXCLUSIVE on " + source.name() + ", briefly (no scan), for at most lock_timeout");
    }

    ScriptStatement validateCheck() {
        return ScriptStatement.of(
                "ALTER TABLE " + source.name().quoted() + " VALIDATE CONSTRAINT " + Sql.quote(LEGACY_CHECK),
                LockMode.SHARE_UPDATE_EXCLUSIVE,
                source.name().quoted(),
                "SHARE UPDATE EXCLUSIVE on " + source.name() + " (reads and writes go on; scans the table)");
    }

    private ScriptStatement onOriginal(String sql) {
        return ScriptStatement.of(
                sql, LockMode.ACCESS_EXCLUSIVE, source.name().quoted(), "ACCESS EXCLUSIVE on " + source.name());
    }

    /** An index built or dropped CONCURRENTLY on the original: reads and writes go on. */
    private ScriptStatement online(String sql, Execution execution) {
        return ScriptStatement.outside(
                sql,
                LockMode.SHARE_UPDATE_EXCLUSIVE,
                source.name().quoted(),
                "SHARE UPDATE EXCLUSIVE on " + source.name() + " (reads and writes go on)",
                execution);
    }

    /** The names of the indexes built concurrently on the original: each widened key and a copy of the original. */
    private List<String> concurrentIndexNames() {
        List<String> names = new ArrayList<>();
        for (SourceTable.Unique unique : widened()) {
            names.add(suffixed(unique.name(), WIDE_SUFFIX));
            names.add(suffixed(unique.name(), UNDO_SUFFIX));
        }
        return names;
    }

    /** The indexes to build concurrently on the original, each naming the index it creates. */
    List<ScriptStatement> concurrentIndexes() {
        List<ScriptStatement> result = new ArrayList<>();
        for (SourceTable.Unique unique : widened()) {
            List<String> wide = new ArrayList<>(unique.columns());
            wide.add(source.keyColumn());
            result.add(index(suffixed(unique.name(), WIDE_SUFFIX), wide));
            result.add(index(suffixed(unique.name(), UNDO_SUFFIX), unique.columns()));
        }
        return result;
    }

    private ScriptStatement index(String name, List<String> columns) {
        return online(
                        "CREATE UNIQUE INDEX CONCURRENTLY " + Sql.quote(name) + " ON "
                                + source.name().quoted() + " (" + columns(columns) + ")",
                        Execution.CONCURRENTLY_AFTER_OLDER_TRANSACTIONS)
                .creating(TableName.of(source.name().schema(), name).quoted());
    }

    /** The cutover, after the original is locked: the original becomes the legacy partition of the new table. */
    List<ScriptStatement> cutover(SwapSql swap, java.util.Map<String, String> keyColumns) {
        TableName original = source.name();
        List<ScriptStatement> statements = new ArrayList<>();
        for (SourceTable.InboundForeignKey fk : source.inboundForeignKeys()) {
            statements.add(SwapSql.dropForeignKey(fk));
        }
        for (SourceTable.Named trigger : source.triggers()) {
            statements.add(onOriginal("DROP TRIGGER " + Sql.quote(trigger.name()) + " ON " + original.quoted()));
        }
        for (SourceTable.Unique unique : widened()) {
            // ATTACH adopts a partition's index for the parent's key only when a constraint already uses it;
            // otherwise it builds a new index, scanning the whole table under the cutover's lock
            String wide = Sql.quote(suffixed(unique.name(), WIDE_SUFFIX));
            statements.add(
                    onOriginal("ALTER TABLE " + original.quoted() + " DROP CONSTRAINT " + Sql.quote(unique.name())));
            statements.add(onOriginal("ALTER TABLE " + original.quoted() + " ADD CONSTRAINT " + wide
                    + (unique.primary() ? " PRIMARY KEY" : " UNIQUE") + " USING INDEX " + wide));
        }
        for (SourceTable.Unique unique : source.uniques()) {
            if (unique.columns().contains(source.keyColumn())) {
                statements.add(onOriginal("ALTER TABLE " + original.quoted() + " RENAME CONSTRAINT "
                        + Sql.quote(unique.name()) + " TO " + Sql.quote(suffixed(unique.name(), LEGACY_SUFFIX))));
            }
        }
        for (SourceTable.Index index : source.indexes()) {
            statements.add(onOriginal("ALTER INDEX "
                    + TableName.of(original.schema(), index.name()).quoted() + " RENAME TO "
                    + Sql.quote(suffixed(index.name(), LEGACY_SUFFIX))));
        }
        statements.add(onOriginal("ALTER TABLE " + original.quoted() + " RENAME TO " + Sql.quote(legacy.name())));
        statements.add(onOriginal("ALTER TABLE " + newTable.quoted() + " RENAME TO " + Sql.quote(original.name())));
        statements.add(onOriginal("ALTER TABLE " + original.quoted() + " ATTACH PARTITION " + legacy.quoted()
                + " FOR VALUES FROM (MINVALUE) TO (" + source.keyType().literal(cut) + ")"));
        statements.add(onOriginal("ALTER TABLE " + legacy.quoted() + " DROP CONSTRAINT " + Sql.quote(LEGACY_CHECK)));
        for (SourceTable.Unique unique : source.uniques()) {
            statements.add(onOriginal("ALTER TABLE " + original.quoted() + " RENAME CONSTRAINT "
                    + Sql.quote(MigrationSql.temp(unique.name())) + " TO " + Sql.quote(unique.name())));
        }
        for (SourceTable.Index index : source.indexes()) {
            statements.add(onOriginal("ALTER INDEX "
                    + TableName.of(original.schema(), MigrationSql.temp(index.name()))
                            .quoted() + " RENAME TO " + Sql.quote(index.name())));
        }
        for (SourceTable.Named sequence : source.sequences()) {
            statements.add(onOriginal("ALTER SEQUENCE " + sequence.name() + " OWNED BY " + original.quoted() + "."
                    + Sql.quote(sequence.definition())));
        }
        for (SourceTable.InboundForeignKey fk : source.inboundForeignKeys()) {
            statements.add(swap.addForeignKey(fk, original, true, keyColumns));
        }
        statements.addAll(swap.views());
        for (SourceTable.Named trigger : source.triggers()) {
            statements.add(SwapSql.shareRow(trigger.definition(), original));
        }
        return statements;
    }

    /**
     * The undo, after the partitioned table is locked: the legacy partition is detached and takes the name back, rows
     * written since the cutover at or above the cut move into it, its original keys come back from the prepared
     * copies, and the new table is dropped.
     */
    List<ScriptStatement> undo(SwapSql swap) {
        TableName original = source.name();
        KeyType type = source.keyType();
        String key = Sql.quote(source.keyColumn());
        List<ScriptStatement> statements = new ArrayList<>();
        for (SourceTable.InboundForeignKey fk : source.inboundForeignKeys()) {
            statements.add(SwapSql.dropForeignKey(fk));
        }
        for (SourceTable.Named trigger : source.triggers()) {
            statements.add(onOriginal("DROP TRIGGER " + Sql.quote(trigger.name()) + " ON " + original.quoted()));
        }
        statements.add(onOriginal("ALTER TABLE " + original.quoted() + " DETACH PARTITION " + legacy.quoted()));
        String cols = source.insertableColumns().stream().map(Sql::quote).collect(Collectors.joining(", "));
        statements.add(onOriginal("INSERT INTO " + legacy.quoted() + " (" + cols + ")"
                + (source.identityColumns().isEmpty() ? "" : " OVERRIDING SYSTEM VALUE") + " SELECT " + cols
                + " FROM " + original.quoted() + " WHERE " + key + " >= " + type.literal(cut)));
        for (SourceTable.Named sequence : source.sequences()) { // before the drop, which would take them along
            statements.add(onOriginal("ALTER SEQUENCE " + sequence.name() + " OWNED BY " + legacy.quoted() + "."
                    + Sql.quote(sequence.definition())));
        }
        statements.add(onOriginal("DROP TABLE " + original.quoted() + " CASCADE"));
        // The wide indexes were adopted as the partition's own constraints (PostgreSQL names them after the
        // partition); once detached they go, and the copies of the original keys take over.
        List<String> keep = source.uniques().stream()
                .filter(u -> u.columns().contains(source.keyColumn()))
                .map(u -> Sql.literal(suffixed(u.name(), LEGACY_SUFFIX)))
                .toList();
        statements.add(onOriginal(
                "DO $autopartition$ DECLARE c record; BEGIN FOR c IN SELECT conname FROM pg_catalog.pg_constraint"
                        + " WHERE conrelid = " + Sql.literal(legacy.quoted()) + "::regclass AND contype IN ('p', 'u')"
                        + " AND (SELECT attnum FROM pg_catalog.pg_attribute WHERE attrelid = conrelid AND attname = "
                        + Sql.literal(source.keyColumn()) + ") = ANY (conkey)"
                        + (keep.isEmpty() ? "" : " AND conname NOT IN (" + String.join(", ", keep) + ")")
                        + " LOOP EXECUTE format('ALTER TABLE %s DROP CONSTRAINT %I', " + Sql.literal(legacy.quoted())
                        + ", c.conname); END LOOP; END $autopartition$"));
        for (SourceTable.Unique unique : widened()) {
            statements.add(onOriginal("ALTER TABLE " + legacy.quoted() + " ADD CONSTRAINT " + Sql.quote(unique.name())
                    + (unique.primary() ? " PRIMARY KEY" : " UNIQUE") + " USING INDEX "
                    + Sql.quote(suffixed(unique.name(), UNDO_SUFFIX))));
        }
        statements.add(onOriginal("ALTER TABLE " + legacy.quoted() + " RENAME TO " + Sql.quote(original.name())));
        for (SourceTable.Unique unique : source.uniques()) {
            if (unique.columns().contains(source.keyColumn())) {
                statements.add(onOriginal("ALTER TABLE " + original.quoted() + " RENAME CONSTRAINT "
                        + Sql.quote(suffixed(unique.name(), LEGACY_SUFFIX)) + " TO " + Sql.quote(unique.name())));
            }
        }
        for (SourceTable.Index index : source.indexes()) {
            statements.add(onOriginal("ALTER INDEX "
                    + TableName.of(original.schema(), suffixed(index.name(), LEGACY_SUFFIX))
                            .quoted() + " RENAME TO " + Sql.quote(index.name())));
        }
        for (SourceTable.InboundForeignKey fk : source.inboundForeignKeys()) {
            statements.add(swap.addForeignKey(fk, original, false, java.util.Map.of()));
        }
        statements.addAll(swap.views());
        for (SourceTable.Named trigger : source.triggers()) {
            statements.add(SwapSql.shareRow(trigger.definition(), original));
        }
        return statements;
    }

    /** Before the cutover: the CHECK and the prepared indexes go, the new table goes. */
    List<ScriptStatement> abort() {
        List<ScriptStatement> statements = new ArrayList<>();
        statements.add(onOriginal(
                "ALTER TABLE " + source.name().quoted() + " DROP CONSTRAINT IF EXISTS " + Sql.quote(LEGACY_CHECK)));
        for (String index : concurrentIndexNames()) {
            statements.add(dropIndex(index));
        }
        statements.add(ScriptStatement.of(
                "DROP TABLE IF EXISTS " + newTable.quoted() + " CASCADE",
                LockMode.ACCESS_EXCLUSIVE,
                newTable.quoted(),
                "ACCESS EXCLUSIVE on the new table, not in use"));
        return statements;
    }

    /** After the cutover, for good: the copies kept for an undo are dropped. */
    List<ScriptStatement> finish() {
        List<ScriptStatement> statements = new ArrayList<>();
        for (SourceTable.Unique unique : widened()) {
            statements.add(dropIndex(suffixed(unique.name(), UNDO_SUFFIX)));
        }
        return statements;
    }

    private ScriptStatement dropIndex(String name) {
        return online(
                "DROP INDEX CONCURRENTLY IF EXISTS "
                        + TableName.of(source.name().schema(), name).quoted(),
                Execution.CONCURRENTLY);
    }
}
