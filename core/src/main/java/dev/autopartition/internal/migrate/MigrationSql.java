package dev.autopartition.internal.migrate;

import dev.autopartition.TableName;
import dev.autopartition.internal.sql.KeyType;
import dev.autopartition.internal.sql.Sql;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/** The SQL of a migration: every statement is written here, from the inventory and the control row. */
final class MigrationSql {
    static final String CAPTURE_TRIGGER = "autopartition_capture";
    static final String UNDO_TRIGGER = "autopartition_undo_capture";
    static final String GUARD_TRIGGER = "autopartition_no_truncate";
    static final String BOUNDS_CHECK = "autopartition_bounds";
    /** Change-log columns: the partition key before and after the change. */
    static final String OLD_KEY = "autopartition_old_key";

    static final String NEW_KEY = "autopartition_new_key";
    private static final String TEMP_SUFFIX = "_apnew";
    private static final String RETIRED_SUFFIX = "_retired";

    private final SourceTable source;
    private final MigrationStore store;
    private final long id;
    private final TableName newTable;
    private final TableName retiredTable;

    MigrationSql(SourceTable source, MigrationStore store, long id, String newName, String retiredName) {
        this.source = source;
        this.store = store;
        this.id = id;
        this.newTable = TableName.of(source.name().schema(), newName);
        this.retiredTable = TableName.of(source.name().schema(), retiredName);
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

    private String pkList() {
        return source.primaryKey().stream().map(Sql::quote).collect(Collectors.joining(", "));
    }

    private String columns() {
        return source.insertableColumns().stream().map(Sql::quote).collect(Collectors.joining(", "));
    }

    private String overriding() {
        return source.identityColumns().isEmpty() ? "" : " OVERRIDING SYSTEM VALUE";
    }

    /** The new parent, its keys, indexes, foreign keys, comment, owner, grants and policies. */
    List<String> createNewParent(boolean identity) {
        String q = newTable.quoted();
        List<String> sql = new ArrayList<>();
        sql.add("CREATE TABLE " + q + " (LIKE " + source.name().quoted() + " INCLUDING DEFAULTS INCLUDING CONSTRAINTS"
                + " INCLUDING GENERATED INCLUDING STORAGE INCLUDING COMPRESSION INCLUDING COMMENTS INCLUDING STATISTICS"
                + (identity ? " INCLUDING IDENTITY" : "") + ") PARTITION BY RANGE (" + Sql.quote(source.keyColumn())
                + ")");
        for (SourceTable.Unique unique : source.uniques()) {
            List<String> cols = new ArrayList<>(unique.columns());
            if (!cols.contains(source.keyColumn())) {
                cols.add(source.keyColumn());
            }
            sql.add("ALTER TABLE " + q + " ADD CONSTRAINT " + Sql.quote(temp(unique.name()))
                    + (unique.primary() ? " PRIMARY KEY (" : " UNIQUE (")
                    + cols.stream().map(Sql::quote).collect(Collectors.joining(", ")) + ")");
        }
        for (SourceTable.Named index : source.indexes()) {
            boolean unique = index.definition().startsWith("UNIQUE ");
            sql.add("CREATE " + (unique ? "UNIQUE " : "") + "INDEX " + Sql.quote(temp(index.name())) + " ON " + q + " "
                    + (unique ? index.definition().substring("UNIQUE ".length()) : index.definition()));
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
    List<String> capture(TableName onTable, boolean undo) {
        TableName log = store.log(id, undo);
        TableName function = store.captureFunction(id, undo);
        List<String> sql = new ArrayList<>();
        StringBuilder columns = new StringBuilder("log_id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY");
        for (int i = 0; i < source.primaryKey().size(); i++) {
            columns.append(", ")
                    .append(Sql.quote(source.primaryKey().get(i)))
                    .append(' ')
                    .append(source.primaryKeyTypes().get(i));
        }
        columns.append(", ").append(OLD_KEY).append(' ').append(source.keyType().sqlName());
        columns.append(", ").append(NEW_KEY).append(' ').append(source.keyType().sqlName());
        sql.add("CREATE TABLE " + log.quoted() + " (" + columns + ")");
        String oldKey =
                source.primaryKey().stream().map(c -> "OLD." + Sql.quote(c)).collect(Collectors.joining(", "));
        String newKey =
                source.primaryKey().stream().map(c -> "NEW." + Sql.quote(c)).collect(Collectors.joining(", "));
        String key = Sql.quote(source.keyColumn());
        String insert = "INSERT INTO " + log.quoted() + " (" + pkList() + ", " + OLD_KEY + ", " + NEW_KEY + ") VALUES ";
        String samePk = "TG_OP = 'UPDATE' AND (" + oldKey + ") IS NOT DISTINCT FROM (" + newKey + ")";
        sql.add("CREATE FUNCTION " + function.quoted() + "() RETURNS trigger LANGUAGE plpgsql AS $autopartition$\n"
                + "BEGIN\n"
                + "  IF " + samePk + " THEN " + insert + "(" + oldKey + ", OLD." + key + ", NEW." + key + ");\n"
                + "  ELSE\n"
                + "    IF TG_OP <> 'INSERT' THEN " + insert + "(" + oldKey + ", OLD." + key + ", NULL); END IF;\n"
                + "    IF TG_OP <> 'DELETE' THEN " + insert + "(" + newKey + ", NULL, NEW." + key + "); END IF;\n"
                + "  END IF;\n"
                + "  RETURN NULL;\nEND\n$autopartition$");
        sql.add("CREATE TRIGGER " + Sql.quote(undo ? UNDO_TRIGGER : CAPTURE_TRIGGER) + " AFTER INSERT OR UPDATE OR"
                + " DELETE ON " + onTable.quoted() + " FOR EACH ROW EXECUTE FUNCTION " + function.quoted() + "()");
        if (!undo) {
            sql.add("CREATE OR REPLACE FUNCTION " + store.guardFunction().quoted() + "() RETURNS trigger"
                    + " LANGUAGE plpgsql AS $autopartition$ BEGIN RAISE EXCEPTION '% is being migrated to a"
                    + " partitioned table; TRUNCATE would not be carried over. Abort or finish the migration first.',"
                    + " TG_TABLE_NAME; END $autopartition$");
            sql.add("CREATE TRIGGER " + Sql.quote(GUARD_TRIGGER) + " BEFORE TRUNCATE ON " + onTable.quoted()
                    + " FOR EACH STATEMENT EXECUTE FUNCTION "
                    + store.guardFunction().quoted() + "()");
        }
        return sql;
    }

    /** Whether a change log has the partition-key columns (logs of migrations prepared before 0.x have not). */
    String logHasKeys(boolean undo) {
        return "SELECT EXISTS (SELECT 1 FROM pg_catalog.pg_attribute WHERE attrelid = to_regclass("
                + Sql.literal(store.log(id, undo).quoted()) + ") AND attname = " + Sql.literal(OLD_KEY)
                + " AND NOT attisdropped)";
    }

    /** Drops a capture trigger, its function and its log. */
    List<String> dropCapture(TableName onTable, boolean undo) {
        List<String> sql = new ArrayList<>();
        sql.add("DROP TRIGGER IF EXISTS " + Sql.quote(undo ? UNDO_TRIGGER : CAPTURE_TRIGGER) + " ON "
                + onTable.quoted());
        if (!undo) {
            sql.add("DROP TRIGGER IF EXISTS " + Sql.quote(GUARD_TRIGGER) + " ON " + onTable.quoted());
        }
        sql.add("DROP FUNCTION IF EXISTS " + store.captureFunction(id, undo).quoted() + "()");
        sql.add("DROP TABLE IF EXISTS " + store.log(id, undo).quoted());
        return sql;
    }

    String createPartition(TargetPartition p) {
        return "CREATE TABLE " + TableName.of(newTable.schema(), p.name()).quoted() + " (LIKE " + newTable.quoted()
                + " INCLUDING DEFAULTS INCLUDING CONSTRAINTS INCLUDING GENERATED INCLUDING STORAGE INCLUDING"
                + " COMPRESSION INCLUDING STATISTICS)";
    }

    String boundsCheck(TargetPartition p) {
        String key = Sql.quote(source.keyColumn());
        KeyType type = source.keyType();
        return "ALTER TABLE " + TableName.of(newTable.schema(), p.name()).quoted() + " ADD CONSTRAINT "
                + Sql.quote(BOUNDS_CHECK) + " CHECK (" + key + " IS NOT NULL AND " + key + " >= "
                + type.literal(p.lower()) + " AND " + key + " < " + type.literal(p.upper()) + ")";
    }

    /**
     * One batch: the source rows whose key lies in {@code [from, to)}, a slice of the partition's range, copied into
     * the standalone partition. Slicing by key rather than by primary key lets an index on the key read just the
     * slice, with no sort.
     */
    String copySlice(TargetPartition p, long from, long to) {
        String key = Sql.quote(source.keyColumn());
        KeyType type = source.keyType();
        return "INSERT INTO " + TableName.of(newTable.schema(), p.name()).quoted() + " (" + columns() + ")"
                + overriding() + " SELECT " + columns() + " FROM ONLY "
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

    /** Whether a valid, non-partial index of the source starts with the partition key, so slices read only their rows. */
    String keyIndexExists() {
        return keyIndexExists(source);
    }

    static String keyIndexExists(SourceTable source) {
        return "SELECT EXISTS (SELECT 1 FROM pg_catalog.pg_index i JOIN pg_catalog.pg_attribute a ON a.attrelid ="
                + " i.indrelid AND a.attnum = i.indkey[0] WHERE i.indrelid = "
                + Sql.literal(source.name().quoted())
                + "::regclass AND a.attname = " + Sql.literal(source.keyColumn())
                + " AND i.indisvalid AND i.indpred IS NULL)";
    }

    /** Outbound foreign keys proven on the standalone partition, so ATTACH adopts them without a new scan. */
    List<String> partitionForeignKeys(TargetPartition p) {
        TableName partition = TableName.of(newTable.schema(), p.name());
        List<String> sql = new ArrayList<>();
        for (SourceTable.Named fk : source.outboundForeignKeys()) {
            sql.add("ALTER TABLE " + partition.quoted() + " ADD CONSTRAINT " + Sql.quote(fk.name()) + " "
                    + fk.definition().replace(" NOT VALID", "") + " NOT VALID");
            sql.add("ALTER TABLE " + partition.quoted() + " VALIDATE CONSTRAINT " + Sql.quote(fk.name()));
        }
        return sql;
    }

    String vacuum(TargetPartition p) {
        return "VACUUM (ANALYZE) " + TableName.of(newTable.schema(), p.name()).quoted();
    }

    List<String> attach(TargetPartition p) {
        TableName partition = TableName.of(newTable.schema(), p.name());
        KeyType type = source.keyType();
        return List.of(
                "ALTER TABLE " + newTable.quoted() + " ATTACH PARTITION " + partition.quoted() + " FOR VALUES FROM ("
                        + type.literal(p.lower()) + ") TO (" + type.literal(p.upper()) + ")",
                "ALTER TABLE " + partition.quoted() + " DROP CONSTRAINT " + Sql.quote(BOUNDS_CHECK),
                store.attachedSql(id, p));
    }

    /**
     * Replay of one batch of a log prepared before the log recorded partition keys: delete the logged keys at the
     * target (every partition is probed for each key), copy their current rows from the source.
     */
    List<String> legacyReplay(TableName from, boolean fromOnly, TableName to, boolean undo, String ids) {
        TableName log = store.log(id, undo);
        String keys = "(" + pkList() + ") IN (SELECT " + pkList() + " FROM " + log.quoted() + " WHERE log_id = ANY ("
                + ids + "))";
        return List.of(
                "DELETE FROM " + to.quoted() + " WHERE " + keys,
                "INSERT INTO " + to.quoted() + " (" + columns() + ")" + overriding() + " SELECT " + columns() + " FROM "
                        + (fromOnly ? "ONLY " : "") + from.quoted() + " WHERE " + keys,
                "DELETE FROM " + log.quoted() + " WHERE log_id = ANY (" + ids + ")");
    }

    /**
     * The next batch of the forward log, up to {@code ceiling}: each entry's id with the partitions (1-based positions
     * among {@code lowers}, the sorted lower bounds; 0 below the first, NULL for no key) of its key before the change,
     * after it, and of the source row's key now. With {@code workers > 1} only the share of worker {@code worker}
     * (by a hash of the primary key, so every entry of one row goes to one worker).
     */
    String replayBatch(long ceiling, int limit, List<Long> lowers, int worker, int workers) {
        TableName log = store.log(id, false);
        KeyType type = source.keyType();
        String bounds = "ARRAY[" + lowers.stream().map(type::literal).collect(Collectors.joining(", ")) + "]::"
                + type.sqlName() + "[]";
        String share = workers <= 1
                ? ""
                : " AND mod(hashtext(ROW(" + pkList() + ")::text)::bigint + 2147483648, " + workers + ") = " + worker;
        String on = source.primaryKey().stream()
                .map(c -> "s." + Sql.quote(c) + " = l." + Sql.quote(c))
                .collect(Collectors.joining(" AND "));
        return "SELECT l.log_id, width_bucket(l." + OLD_KEY + ", " + bounds + "), width_bucket(l." + NEW_KEY + ", "
                + bounds + "), width_bucket(s." + Sql.quote(source.keyColumn()) + ", " + bounds + ") FROM (SELECT *"
                + " FROM " + log.quoted() + " WHERE log_id <= " + ceiling + share + " ORDER BY log_id LIMIT " + limit
                + ") l LEFT JOIN ONLY " + source.name().quoted() + " s ON " + on;
    }

    /** Deletes, from one partition of the new table, the rows of the logged keys {@code ids}. */
    String replayDelete(String partition, String ids) {
        TableName log = store.log(id, false);
        return "DELETE FROM " + TableName.of(newTable.schema(), partition).quoted() + " WHERE (" + pkList()
                + ") IN (SELECT " + pkList() + " FROM " + log.quoted() + " WHERE log_id = ANY (" + ids + "))";
    }

    /**
     * Copies the current source rows of the logged keys {@code ids} into the new table (routed to their partitions),
     * then removes the entries from the log.
     */
    List<String> replayCopy(String ids) {
        TableName log = store.log(id, false);
        String keys = "(" + pkList() + ") IN (SELECT " + pkList() + " FROM " + log.quoted() + " WHERE log_id = ANY ("
                + ids + "))";
        return List.of(
                "INSERT INTO " + newTable.quoted() + " (" + columns() + ")" + overriding() + " SELECT " + columns()
                        + " FROM ONLY " + source.name().quoted() + " WHERE " + keys,
                "DELETE FROM " + log.quoted() + " WHERE log_id = ANY (" + ids + ")");
    }

    /** The order-independent hash of a row: on the record itself where every column type can be hashed, else on
     * its text (slower). */
    private String rowHash(boolean recordHash) {
        String row = "ROW(" + source.columnNames().stream().map(Sql::quote).collect(Collectors.joining(", ")) + ")";
        return recordHash ? "hash_record_extended(" + row + ", 0)" : "hashtextextended(" + row + "::text, 0)";
    }

    /** A query that fails when the row's columns cannot all be hashed as a record (json, point, ...). */
    String recordHashProbe() {
        return "SELECT " + rowHash(true) + " FROM ONLY " + source.name().quoted() + " LIMIT 1";
    }

    /** Count and order-independent checksum of a range's rows, leaving out keys with changes still to replay. */
    String checksum(TableName table, boolean only, TargetPartition p, boolean recordHash) {
        String key = Sql.quote(source.keyColumn());
        KeyType type = source.keyType();
        return "SELECT count(*), coalesce(sum(" + rowHash(recordHash) + "), 0) FROM " + (only ? "ONLY " : "")
                + table.quoted() + " WHERE " + key + " >= " + type.literal(p.lower()) + " AND " + key + " < "
                + type.literal(p.upper()) + " AND (" + pkList() + ") NOT IN (SELECT " + pkList() + " FROM "
                + store.log(id, false).quoted() + ")";
    }

    /**
     * Count and checksum per partition of a run of contiguous partitions ({@code lowers} their sorted lower bounds,
     * {@code upper} the run's end), in one scan of the range: the position of the partition (1-based), the count and
     * the checksum, leaving out keys with changes still to replay. The cost does not depend on how many (empty)
     * partitions the run holds.
     */
    String chunkChecksums(TableName table, boolean only, List<Long> lowers, long upper, boolean recordHash) {
        String key = Sql.quote(source.keyColumn());
        KeyType type = source.keyType();
        String bounds = "ARRAY[" + lowers.stream().map(type::literal).collect(Collectors.joining(", ")) + "]::"
                + type.sqlName() + "[]";
        return "SELECT width_bucket(" + key + ", " + bounds + ") AS b, count(*), coalesce(sum(" + rowHash(recordHash)
                + "), 0) FROM " + (only ? "ONLY " : "") + table.quoted() + " WHERE " + key + " >= "
                + type.literal(lowers.get(0)) + " AND " + key + " < " + type.literal(upper) + " AND (" + pkList()
                + ") NOT IN (SELECT " + pkList() + " FROM "
                + store.log(id, false).quoted() + ") GROUP BY b";
    }

    /**
     * Queues every key whose row differs between the source range and its partition, for replay. With {@code keys}
     * (the log records partition keys) the entry carries the target row's key as the old key and the source row's as
     * the new one.
     */
    String queueDifferences(TargetPartition p, boolean keys) {
        String key = Sql.quote(source.keyColumn());
        KeyType type = source.keyType();
        String range =
                " WHERE " + key + " >= " + type.literal(p.lower()) + " AND " + key + " < " + type.literal(p.upper());
        String sourceRows = "SELECT " + pkList() + ", " + key + " AS k, " + rowHash(false) + " AS h FROM ONLY "
                + source.name().quoted() + range;
        String targetRows = "SELECT " + pkList() + ", " + key + " AS k, " + rowHash(false) + " AS h FROM "
                + TableName.of(newTable.schema(), p.name()).quoted() + range;
        return "INSERT INTO " + store.log(id, false).quoted() + " (" + pkList()
                + (keys ? ", " + OLD_KEY + ", " + NEW_KEY : "") + ") SELECT " + pkList() + (keys ? ", t.k, s.k" : "")
                + " FROM (" + sourceRows + ") s FULL JOIN (" + targetRows + ") t USING (" + pkList()
                + ") WHERE s.h IS DISTINCT FROM t.h";
    }

    /** The swap: the new table takes the original's name and keys, the original steps aside. */
    List<String> swap(boolean identity) {
        TableName original = source.name();
        List<String> sql = new ArrayList<>();
        for (SourceTable.Unique unique : source.uniques()) {
            sql.add("ALTER TABLE " + original.quoted() + " RENAME CONSTRAINT " + Sql.quote(unique.name()) + " TO "
                    + Sql.quote(retired(unique.name())));
        }
        for (SourceTable.Named index : source.indexes()) {
            sql.add("ALTER INDEX "
                    + TableName.of(original.schema(), index.name()).quoted() + " RENAME TO "
                    + Sql.quote(retired(index.name())));
        }
        sql.add("ALTER TABLE " + original.quoted() + " RENAME TO " + Sql.quote(retiredTable.name()));
        sql.add("ALTER TABLE " + newTable.quoted() + " RENAME TO " + Sql.quote(original.name()));
        for (SourceTable.Unique unique : source.uniques()) {
            sql.add("ALTER TABLE " + original.quoted() + " RENAME CONSTRAINT " + Sql.quote(temp(unique.name())) + " TO "
                    + Sql.quote(unique.name()));
        }
        for (SourceTable.Named index : source.indexes()) {
            sql.add("ALTER INDEX "
                    + TableName.of(original.schema(), temp(index.name())).quoted() + " RENAME TO "
                    + Sql.quote(index.name()));
        }
        for (SourceTable.Named sequence : source.sequences()) {
            sql.add("ALTER SEQUENCE " + sequence.name() + " OWNED BY " + original.quoted() + "."
                    + Sql.quote(sequence.definition()));
        }
        if (identity) {
            sql.addAll(carryIdentity(retiredTable, original));
        }
        return sql;
    }

    /** Identity sequences of {@code to} continue after every value {@code from} has handed out. */
    private List<String> carryIdentity(TableName from, TableName to) {
        List<String> sql = new ArrayList<>();
        for (String column : source.identityColumns()) {
            String col = Sql.literal(column);
            sql.add("SELECT setval(pg_get_serial_sequence(" + Sql.literal(to.quoted()) + ", " + col + "), GREATEST("
                    + "coalesce(pg_sequence_last_value(pg_get_serial_sequence(" + Sql.literal(from.quoted()) + ", "
                    + col + ")::regclass), 0), coalesce((SELECT max(" + Sql.quote(column) + ") FROM " + from.quoted()
                    + "), 0), coalesce(pg_sequence_last_value(pg_get_serial_sequence(" + Sql.literal(to.quoted())
                    + ", " + col + ")::regclass), 0), 1))");
        }
        return sql;
    }

    /** The swap undone: the original takes its name and keys back. */
    List<String> unswap(boolean identity) {
        TableName original = source.name();
        List<String> sql = new ArrayList<>();
        for (SourceTable.Unique unique : source.uniques()) {
            sql.add("ALTER TABLE " + original.quoted() + " RENAME CONSTRAINT " + Sql.quote(unique.name()) + " TO "
                    + Sql.quote(temp(unique.name())));
        }
        for (SourceTable.Named index : source.indexes()) {
            sql.add("ALTER INDEX "
                    + TableName.of(original.schema(), index.name()).quoted() + " RENAME TO "
                    + Sql.quote(temp(index.name())));
        }
        sql.add("ALTER TABLE " + original.quoted() + " RENAME TO " + Sql.quote(newTable.name()));
        sql.add("ALTER TABLE " + retiredTable.quoted() + " RENAME TO " + Sql.quote(original.name()));
        for (SourceTable.Unique unique : source.uniques()) {
            sql.add("ALTER TABLE " + original.quoted() + " RENAME CONSTRAINT " + Sql.quote(retired(unique.name()))
                    + " TO " + Sql.quote(unique.name()));
        }
        for (SourceTable.Named index : source.indexes()) {
            sql.add("ALTER INDEX "
                    + TableName.of(original.schema(), retired(index.name())).quoted() + " RENAME TO "
                    + Sql.quote(index.name()));
        }
        for (SourceTable.Named sequence : source.sequences()) {
            sql.add("ALTER SEQUENCE " + sequence.name() + " OWNED BY " + original.quoted() + "."
                    + Sql.quote(sequence.definition()));
        }
        if (identity) {
            sql.addAll(carryIdentity(newTable, original));
        }
        return sql;
    }

    /**
     * Inbound foreign keys re-pointed at {@code target} (NOT VALID; validated after the commit). Toward the new
     * table a key that lacks the partition key is widened with the column the spec names.
     */
    List<String> repointForeignKeys(TableName target, boolean toNew, java.util.Map<String, String> keyColumns) {
        List<String> sql = new ArrayList<>();
        for (SourceTable.InboundForeignKey fk : source.inboundForeignKeys()) {
            List<String> referencing = new ArrayList<>(fk.referencingColumns());
            List<String> referenced = new ArrayList<>(fk.referencedColumns());
            String carrier = keyColumns.get(fk.name());
            if (toNew && carrier != null && !referenced.contains(source.keyColumn())) {
                referencing.add(carrier);
                referenced.add(source.keyColumn());
            }
            sql.add("ALTER TABLE " + fk.referencing().quoted() + " DROP CONSTRAINT " + Sql.quote(fk.name()));
            sql.add("ALTER TABLE " + fk.referencing().quoted() + " ADD CONSTRAINT " + Sql.quote(fk.name())
                    + " FOREIGN KEY (" + referencing.stream().map(Sql::quote).collect(Collectors.joining(", "))
                    + ") REFERENCES " + target.quoted() + " ("
                    + referenced.stream().map(Sql::quote).collect(Collectors.joining(", ")) + ")"
                    + (fk.options().isEmpty() ? "" : " " + fk.options()) + " NOT VALID");
        }
        return sql;
    }

    List<String> validateForeignKeys() {
        List<String> sql = new ArrayList<>();
        for (SourceTable.InboundForeignKey fk : source.inboundForeignKeys()) {
            sql.add("ALTER TABLE " + fk.referencing().quoted() + " VALIDATE CONSTRAINT " + Sql.quote(fk.name()));
        }
        return sql;
    }

    /** Views re-created so they read the table that now carries the name. */
    List<String> views() {
        List<String> sql = new ArrayList<>();
        for (SourceTable.Named view : source.views()) {
            sql.add("CREATE OR REPLACE VIEW " + view.name() + " AS " + view.definition());
        }
        return sql;
    }

    /** User triggers move to the table that carries the name; on the other one they are disabled. */
    List<String> triggers(boolean toNew) {
        TableName original = source.name();
        TableName other = toNew ? retiredTable : newTable;
        List<String> sql = new ArrayList<>();
        for (SourceTable.Named trigger : source.triggers()) {
            if (toNew) {
                sql.add("ALTER TABLE " + other.quoted() + " DISABLE TRIGGER " + Sql.quote(trigger.name()));
                sql.add(trigger.definition());
            } else {
                sql.add("DROP TRIGGER IF EXISTS " + Sql.quote(trigger.name()) + " ON " + other.quoted());
                sql.add("ALTER TABLE " + original.quoted() + " ENABLE TRIGGER " + Sql.quote(trigger.name()));
            }
        }
        return sql;
    }
}
