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
 * The DDL of a copy migration outside its cutover: the new parent, the change capture, and each partition's load, as
 * typed statements. The cutover's are in {@link SwapSql}, the replay's and verification's queries in {@link ReplaySql}.
 */
final class MigrationSql {
    static final String CAPTURE_TRIGGER = "autopartition_capture";
    static final String UNDO_TRIGGER = "autopartition_undo_capture";
    static final String GUARD_TRIGGER = "autopartition_no_truncate";
    static final String BOUNDS_CHECK = "autopartition_bounds";
    /** Change-log columns: the partition key before and after the change. */
    static final String OLD_KEY = "autopartition_old_key";

    static final String NEW_KEY = "autopartition_new_key";
    /**
     * For reads of a key range of the source: its rows are seldom stored in key order, and an index scan then visits
     * a heap page once per row in it; a bitmap scan visits it once (about 1.4x faster for a copy, 2.4x for a
     * checksum, measured on the chat workload).
     */
    static final String READ_PAGES_ONCE = "SET LOCAL enable_indexscan = off";

    private static final String TEMP_SUFFIX = "_apnew";
    private static final String RETIRED_SUFFIX = "_retired";

    private final SourceTable source;
    private final MigrationStore store;
    private final long id;
    private final TableName newTable;

    MigrationSql(SourceTable source, MigrationStore store, long id, String newName) {
        this.source = source;
        this.store = store;
        this.id = id;
        this.newTable = TableName.of(source.name().schema(), newName);
    }

    static String newName(TableName table) {
        return Sql.truncateToBytes(table.name(), 40) + "_autopartition_new";
    }

    static String retiredName(TableName table) {
        return Sql.truncateToBytes(table.name(), 50) + RETIRED_SUFFIX;
    }

    static String temp(String name) {
        return Sql.truncateToBytes(name, Sql.MAX_IDENTIFIER_BYTES - TEMP_SUFFIX.length()) + TEMP_SUFFIX;
    }

    static String retired(String name) {
        return Sql.truncateToBytes(name, Sql.MAX_IDENTIFIER_BYTES - RETIRED_SUFFIX.length()) + RETIRED_SUFFIX;
    }

    TableName newTable() {
        return newTable;
    }

    /** The new parent, its keys, indexes, foreign keys, comment, owner, grants and policies. */
    List<ScriptStatement> createNewParent(boolean identity) {
        List<ScriptStatement> typed = new ArrayList<>();
        for (String s : newParentSql(identity)) {
            typed.add(ScriptStatement.of(
                    s,
                    LockMode.NONE,
                    newTable.quoted(),
                    "none on " + source.name() + " (the new table is not in use yet)"));
        }
        return typed;
    }

    private List<String> newParentSql(boolean identity) {
        String q = newTable.quoted();
        List<String> sql = new ArrayList<>();
        sql.add("CREATE TABLE " + q + " (LIKE " + source.name().quoted() + " INCLUDING DEFAULTS INCLUDING CONSTRAINTS"
                + " INCLUDING GENERATED INCLUDING STORAGE INCLUDING COMPRESSION INCLUDING COMMENTS INCLUDING STATISTICS"
                + (identity ? " INCLUDING IDENTITY" : "") + ") PARTITION BY RANGE (" + Sql.quote(source.keyColumn())
                + ")");
        for (SourceTable.Unique unique : source.uniques()) {
            sql.add("ALTER TABLE " + q + " ADD CONSTRAINT " + Sql.quote(temp(unique.name())) + " " + widened(unique));
        }
        for (SourceTable.Index index : source.indexes()) {
            sql.add("CREATE " + (index.unique() ? "UNIQUE " : "") + "INDEX " + Sql.quote(temp(index.name())) + " ON "
                    + q + " " + index.body());
        }
        for (SourceTable.Named fk : source.outboundForeignKeys()) {
            // valid at once on the empty table; PostgreSQL before 18 refuses NOT VALID on a partitioned table
            sql.add("ALTER TABLE " + q + " ADD CONSTRAINT " + Sql.quote(fk.name()) + " "
                    + fk.definition().replace(" NOT VALID", ""));
        }
        if (source.comment() != null) {
            sql.add("COMMENT ON TABLE " + q + " IS " + Sql.literal(source.comment()));
        }
        if (!source.owner().equals(source.currentUser())) {
            sql.add("ALTER TABLE " + q + " OWNER TO " + Sql.quote(source.owner()));
        }
        for (String grant : source.grants()) {
            sql.add(grant.replace("{table}", q));
        }
        if (source.rowSecurity()) {
            sql.add("ALTER TABLE " + q + " ENABLE ROW LEVEL SECURITY");
        }
        if (source.forceRowSecurity()) {
            sql.add("ALTER TABLE " + q + " FORCE ROW LEVEL SECURITY");
        }
        for (String policy : source.policies()) {
            sql.add(policy.replace("{table}", q));
        }
        return sql;
    }

    /**
     * A change log, a trigger function that appends changed keys to it, and (forward only) the truncate guard. Each
     * entry holds the primary key and the partition key before ({@link #OLD_KEY}, NULL for an insert) and after
     * ({@link #NEW_KEY}, NULL for a delete) the change, so a replay finds the partitions the row left and entered
     * without probing every partition. An update that changes the primary key is logged as a delete and an insert.
     */
    List<ScriptStatement> capture(TableName onTable, boolean undo) {
        TableName log = store.log(id, undo);
        List<ScriptStatement> sql = new ArrayList<>();
        StringBuilder columns = new StringBuilder("log_id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY");
        for (int i = 0; i < source.primaryKey().size(); i++) {
            columns.append(", ")
                    .append(Sql.quote(source.primaryKey().get(i)))
                    .append(' ')
                    .append(source.primaryKeyTypes().get(i));
        }
        columns.append(", ").append(OLD_KEY).append(' ').append(source.keyType().sqlName());
        columns.append(", ").append(NEW_KEY).append(' ').append(source.keyType().sqlName());
        sql.add(none("CREATE TABLE " + log.quoted() + " (" + columns + ")", onTable));
        sql.add(captureFunction(onTable, undo, false));
        sql.add(trigger(
                "CREATE TRIGGER " + Sql.quote(undo ? UNDO_TRIGGER : CAPTURE_TRIGGER) + " AFTER INSERT OR UPDATE OR"
                        + " DELETE ON " + onTable.quoted() + " FOR EACH ROW EXECUTE FUNCTION "
                        + store.captureFunction(id, undo).quoted() + "()",
                onTable));
        if (!undo) {
            sql.add(none(
                    "CREATE OR REPLACE FUNCTION " + store.guardFunction().quoted() + "() RETURNS trigger"
                            + " LANGUAGE plpgsql AS $autopartition$ BEGIN RAISE EXCEPTION '% is being migrated to a"
                            + " partitioned table; TRUNCATE would not be carried over. Abort or finish the migration first.',"
                            + " TG_TABLE_NAME; END $autopartition$",
                    onTable));
            sql.add(trigger(
                    "CREATE TRIGGER " + Sql.quote(GUARD_TRIGGER) + " BEFORE TRUNCATE ON " + onTable.quoted()
                            + " FOR EACH STATEMENT EXECUTE FUNCTION "
                            + store.guardFunction().quoted() + "()",
                    onTable));
        }
        return sql;
    }

    /**
     * The undo capture, dormant: its log, and its trigger on the new table, whose function records nothing until the
     * cutover arms it. Made at prepare, while the new table has no partitions yet (each partition attached later
     * inherits the trigger), because creating a row trigger on a partitioned table creates one on every partition:
     * about 100 ms at 1,500 partitions, which the cutover would otherwise spend holding its lock.
     */
    List<ScriptStatement> dormantUndoCapture(TableName newTable) {
        List<ScriptStatement> sql = new ArrayList<>(capture(newTable, true));
        sql.set(1, captureFunction(newTable, true, true));
        return sql;
    }

    /** Makes the undo capture record changes: one catalog row replaced, whatever the number of partitions. */
    ScriptStatement armUndoCapture(TableName onTable) {
        return captureFunction(onTable, true, false);
    }

    /** Makes the undo capture record nothing again (after an undo, ready for the next cutover). */
    ScriptStatement disarmUndoCapture(TableName onTable) {
        return captureFunction(onTable, true, true);
    }

    private ScriptStatement captureFunction(TableName onTable, boolean undo, boolean dormant) {
        TableName log = store.log(id, undo);
        TableName function = store.captureFunction(id, undo);
        String oldKey =
                source.primaryKey().stream().map(c -> "OLD." + Sql.quote(c)).collect(Collectors.joining(", "));
        String newKey =
                source.primaryKey().stream().map(c -> "NEW." + Sql.quote(c)).collect(Collectors.joining(", "));
        String key = Sql.quote(source.keyColumn());
        String insert = "INSERT INTO " + log.quoted() + " (" + source.quotedPrimaryKey() + ", " + OLD_KEY + ", "
                + NEW_KEY + ") VALUES ";
        String samePk = "TG_OP = 'UPDATE' AND (" + oldKey + ") IS NOT DISTINCT FROM (" + newKey + ")";
        String body = dormant
                ? "BEGIN\n  RETURN NULL; -- dormant until the cutover\nEND\n"
                : "BEGIN\n"
                        + "  IF " + samePk + " THEN " + insert + "(" + oldKey + ", OLD." + key + ", NEW." + key
                        + ");\n"
                        + "  ELSE\n"
                        + "    IF TG_OP <> 'INSERT' THEN " + insert + "(" + oldKey + ", OLD." + key
                        + ", NULL); END IF;\n"
                        + "    IF TG_OP <> 'DELETE' THEN " + insert + "(" + newKey + ", NULL, NEW." + key
                        + "); END IF;\n"
                        + "  END IF;\n"
                        + "  RETURN NULL;\nEND\n";
        return none(
                "CREATE OR REPLACE FUNCTION " + function.quoted() + "() RETURNS trigger LANGUAGE plpgsql AS"
                        + " $autopartition$\n" + body + "$autopartition$",
                onTable);
    }

    private static ScriptStatement none(String sql, TableName table) {
        return ScriptStatement.of(sql, LockMode.NONE, table.quoted(), "none on " + table);
    }

    private static ScriptStatement trigger(String sql, TableName table) {
        return ScriptStatement.of(
                sql,
                LockMode.SHARE_ROW_EXCLUSIVE,
                table.quoted(),
                "SHARE ROW EXCLUSIVE on " + table + ", for at most lock_timeout (blocks writes that long)");
    }

    /** Drops a capture trigger, its function and its log. */
    List<ScriptStatement> dropCapture(TableName onTable, boolean undo) {
        List<ScriptStatement> sql = new ArrayList<>();
        sql.add(dropTrigger(undo ? UNDO_TRIGGER : CAPTURE_TRIGGER, onTable));
        if (!undo) {
            sql.add(dropTrigger(GUARD_TRIGGER, onTable));
        }
        sql.add(none(
                "DROP FUNCTION IF EXISTS " + store.captureFunction(id, undo).quoted() + "()", onTable));
        TableName log = store.log(id, undo);
        sql.add(ScriptStatement.of(
                "DROP TABLE IF EXISTS " + log.quoted(),
                LockMode.ACCESS_EXCLUSIVE,
                log.quoted(),
                "ACCESS EXCLUSIVE on the change log " + log));
        return sql;
    }

    private static ScriptStatement dropTrigger(String name, TableName table) {
        return ScriptStatement.of(
                "DROP TRIGGER IF EXISTS " + Sql.quote(name) + " ON " + table.quoted(),
                LockMode.ACCESS_EXCLUSIVE,
                table.quoted(),
                "ACCESS EXCLUSIVE on " + table + ", briefly, for at most lock_timeout");
    }

    private TableName partition(TargetPartition p) {
        return TableName.of(newTable.schema(), p.name());
    }

    /** A statement on a partition nobody uses yet: no lock on the original table. */
    private ScriptStatement unused(String sql, LockMode mode, TargetPartition p) {
        return ScriptStatement.of(sql, mode, partition(p).quoted(), "none on " + source.name());
    }

    ScriptStatement createPartition(TargetPartition p) {
        return unused(
                "CREATE TABLE " + partition(p).quoted() + " (LIKE " + newTable.quoted()
                        + " INCLUDING DEFAULTS INCLUDING CONSTRAINTS INCLUDING GENERATED INCLUDING STORAGE INCLUDING"
                        + " COMPRESSION INCLUDING STATISTICS)",
                LockMode.NONE,
                p);
    }

    /** A unique or primary-key constraint of the source, widened by the partition key where it lacks it. */
    private String widened(SourceTable.Unique unique) {
        List<String> cols = new ArrayList<>(unique.columns());
        if (!cols.contains(source.keyColumn())) {
            cols.add(source.keyColumn());
        }
        return (unique.primary() ? "PRIMARY KEY (" : "UNIQUE (")
                + cols.stream().map(Sql::quote).collect(Collectors.joining(", ")) + ")";
    }

    /**
     * The parent's keys and indexes, built on the loaded standalone partition: ATTACH adopts matching ones instead of
     * building them while it holds the parent's lock, so partitions loaded at once build theirs at once. Unnamed, so
     * PostgreSQL names them as ATTACH would have.
     */
    List<ScriptStatement> partitionIndexes(TargetPartition p) {
        String q = partition(p).quoted();
        List<ScriptStatement> sql = new ArrayList<>();
        for (SourceTable.Unique unique : source.uniques()) {
            sql.add(unused("ALTER TABLE " + q + " ADD " + widened(unique), LockMode.ACCESS_EXCLUSIVE, p));
        }
        for (SourceTable.Index index : source.indexes()) {
            sql.add(unused(
                    "CREATE " + (index.unique() ? "UNIQUE " : "") + "INDEX ON " + q + " " + index.body(),
                    LockMode.SHARE,
                    p));
        }
        return sql;
    }

    ScriptStatement boundsCheck(TargetPartition p) {
        String key = Sql.quote(source.keyColumn());
        KeyType type = source.keyType();
        return unused(
                "ALTER TABLE " + partition(p).quoted() + " ADD CONSTRAINT " + Sql.quote(BOUNDS_CHECK) + " CHECK (" + key
                        + " IS NOT NULL AND " + key + " >= " + type.literal(p.lower()) + " AND " + key + " < "
                        + type.literal(p.upper()) + ")",
                LockMode.ACCESS_EXCLUSIVE,
                p);
    }

    /**
     * One batch: the source rows whose key lies in {@code [from, to)}, a slice of the partition's range, copied into
     * the standalone partition. Slicing by key rather than by primary key lets an index on the key read just the
     * slice, with no sort.
     */
    String copySlice(TargetPartition p, long from, long to) {
        String key = Sql.quote(source.keyColumn());
        KeyType type = source.keyType();
        return "INSERT INTO " + TableName.of(newTable.schema(), p.name()).quoted() + " ("
                + source.quotedInsertableColumns() + ")"
                + source.overriding() + " SELECT " + source.quotedInsertableColumns() + " FROM ONLY "
                + source.name().quoted() + " WHERE " + key
                + " >= " + type.literal(from) + " AND " + key + " < " + type.literal(to);
    }

    /**
     * The positions (1-based, among {@code lowers}, sorted lower bounds) of the ranges that hold at least one source
     * row, in one scan. Position 0 (below the first bound) may appear and means nothing.
     */
    String occupiedPartitions(List<Long> lowers) {
        KeyType type = source.keyType();
        String bounds = "ARRAY[" + lowers.stream().map(type::literal).collect(Collectors.joining(", ")) + "]::"
                + type.sqlName() + "[]";
        return "SELECT DISTINCT width_bucket(" + Sql.quote(source.keyColumn()) + ", " + bounds + ") FROM ONLY "
                + source.name().quoted();
    }

    /** An outbound foreign key of a partition: added NOT VALID, then validated; {@code name} unquoted. */
    record ForeignKeyProof(String name, ScriptStatement add, ScriptStatement validate) {}

    /** Outbound foreign keys proven on the standalone partition, so ATTACH adopts them without a new scan. */
    List<ForeignKeyProof> partitionForeignKeys(TargetPartition p) {
        String partition = partition(p).quoted();
        List<ForeignKeyProof> keys = new ArrayList<>();
        for (SourceTable.Named fk : source.outboundForeignKeys()) {
            keys.add(new ForeignKeyProof(
                    fk.name(),
                    ScriptStatement.of(
                            "ALTER TABLE " + partition + " ADD CONSTRAINT " + Sql.quote(fk.name()) + " "
                                    + fk.definition().replace(" NOT VALID", "") + " NOT VALID",
                            LockMode.SHARE_ROW_EXCLUSIVE,
                            "the referenced table",
                            "SHARE ROW EXCLUSIVE on the referenced table, briefly (no scan)"),
                    ScriptStatement.of(
                            "ALTER TABLE " + partition + " VALIDATE CONSTRAINT " + Sql.quote(fk.name()),
                            LockMode.ROW_SHARE,
                            "the referenced table",
                            "ROW SHARE on the referenced table")));
        }
        return keys;
    }

    ScriptStatement vacuum(TargetPartition p) {
        return ScriptStatement.outside(
                "VACUUM (ANALYZE) " + partition(p).quoted(),
                LockMode.SHARE_UPDATE_EXCLUSIVE,
                partition(p).quoted(),
                "none on " + source.name(),
                Execution.OUTSIDE_TRANSACTION);
    }

    ScriptStatement attach(TargetPartition p) {
        KeyType type = source.keyType();
        return ScriptStatement.of(
                "ALTER TABLE " + newTable.quoted() + " ATTACH PARTITION "
                        + partition(p).quoted() + " FOR VALUES FROM (" + type.literal(p.lower()) + ") TO ("
                        + type.literal(p.upper()) + ")",
                LockMode.SHARE_UPDATE_EXCLUSIVE,
                newTable.quoted(),
                "none on " + source.name() + " (the new table is not in use yet)");
    }

    ScriptStatement dropBoundsCheck(TargetPartition p) {
        return ScriptStatement.of(
                "ALTER TABLE " + partition(p).quoted() + " DROP CONSTRAINT " + Sql.quote(BOUNDS_CHECK),
                LockMode.ACCESS_EXCLUSIVE,
                partition(p).quoted(),
                "none on " + source.name() + " (the new table is not in use yet)");
    }

    /** For an abort: a partition that may never have been attached. */
    static ScriptStatement dropPartition(TableName partition) {
        return ScriptStatement.of(
                "DROP TABLE IF EXISTS " + partition.quoted(),
                LockMode.ACCESS_EXCLUSIVE,
                partition.quoted(),
                "ACCESS EXCLUSIVE on the migration's own " + partition);
    }
}
