package dev.autopartition.internal.migrate;

import dev.autopartition.TableName;
import dev.autopartition.internal.sql.KeyType;
import dev.autopartition.internal.sql.Sql;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The queries of the replay and the verification: run batch by batch on their own connection, never stored in the
 * script (they change with every batch).
 */
final class ReplaySql {
    private final SourceTable source;
    private final MigrationStore store;
    private final long id;
    private final TableName newTable;

    ReplaySql(SourceTable source, MigrationStore store, long id, String newName) {
        this.source = source;
        this.store = store;
        this.id = id;
        this.newTable = TableName.of(source.name().schema(), newName);
    }

    /** The rows whose primary key the entries {@code ids} (an SQL array) of {@code log} recorded. */
    private String loggedKeys(TableName log, String ids) {
        return "(" + source.quotedPrimaryKey() + ") IN (SELECT " + source.quotedPrimaryKey() + " FROM " + log.quoted()
                + " WHERE log_id = ANY (" + ids + "))";
    }

    /** The rows with no change still waiting in the forward log: a comparison leaves the others out on both sides. */
    private String notPending() {
        return "(" + source.quotedPrimaryKey() + ") NOT IN (SELECT " + source.quotedPrimaryKey() + " FROM "
                + store.log(id, false).quoted() + ")";
    }

    /** Whether a change log has the partition-key columns (logs of migrations prepared before 0.x have not). */
    String logHasKeys(boolean undo) {
        return "SELECT EXISTS (SELECT 1 FROM pg_catalog.pg_attribute WHERE attrelid = to_regclass("
                + Sql.literal(store.log(id, undo).quoted()) + ") AND attname = " + Sql.literal(MigrationSql.OLD_KEY)
                + " AND NOT attisdropped)";
    }

    /**
     * Replay of one batch of a log prepared before the log recorded partition keys: delete the logged keys at the
     * target (every partition is probed for each key), copy their current rows from the source.
     */
    List<String> legacyReplay(TableName from, boolean fromOnly, TableName to, boolean undo, String ids) {
        TableName log = store.log(id, undo);
        String keys = loggedKeys(log, ids);
        return List.of(
                "DELETE FROM " + to.quoted() + " WHERE " + keys,
                "INSERT INTO " + to.quoted() + " (" + source.quotedInsertableColumns() + ")" + source.overriding()
                        + " SELECT " + source.quotedInsertableColumns() + " FROM " + (fromOnly ? "ONLY " : "")
                        + from.quoted() + " WHERE " + keys,
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
                : " AND mod(hashtext(ROW(" + source.quotedPrimaryKey() + ")::text)::bigint + 2147483648, " + workers
                        + ") = " + worker;
        String on = source.primaryKey().stream()
                .map(c -> "s." + Sql.quote(c) + " = l." + Sql.quote(c))
                .collect(Collectors.joining(" AND "));
        return "SELECT l.log_id, width_bucket(l." + MigrationSql.OLD_KEY + ", " + bounds + "), width_bucket(l."
                + MigrationSql.NEW_KEY + ", "
                + bounds + "), width_bucket(s." + Sql.quote(source.keyColumn()) + ", " + bounds + ") FROM (SELECT *"
                + " FROM " + log.quoted() + " WHERE log_id <= " + ceiling + share + " ORDER BY log_id LIMIT " + limit
                + ") l LEFT JOIN ONLY " + source.name().quoted() + " s ON " + on;
    }

    /** Deletes, from one partition of the new table, the rows of the logged keys {@code ids}. */
    String replayDelete(String partition, String ids) {
        TableName log = store.log(id, false);
        return "DELETE FROM " + TableName.of(newTable.schema(), partition).quoted() + " WHERE " + loggedKeys(log, ids);
    }

    /**
     * Copies the current source rows of the logged keys {@code ids} into the new table (routed to their partitions),
     * then removes the entries from the log.
     */
    List<String> replayCopy(String ids) {
        TableName log = store.log(id, false);
        String keys = loggedKeys(log, ids);
        return List.of(
                "INSERT INTO " + newTable.quoted() + " (" + source.quotedInsertableColumns() + ")" + source.overriding()
                        + " SELECT " + source.quotedInsertableColumns() + " FROM ONLY "
                        + source.name().quoted() + " WHERE " + keys,
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
                + type.literal(p.upper()) + " AND " + notPending();
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
                + type.literal(lowers.get(0)) + " AND " + key + " < " + type.literal(upper) + " AND " + notPending()
                + " GROUP BY b";
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
        String sourceRows = "SELECT " + source.quotedPrimaryKey() + ", " + key + " AS k, " + rowHash(false)
                + " AS h FROM ONLY " + source.name().quoted() + range;
        String targetRows = "SELECT " + source.quotedPrimaryKey() + ", " + key + " AS k, " + rowHash(false)
                + " AS h FROM " + TableName.of(newTable.schema(), p.name()).quoted() + range;
        return "INSERT INTO " + store.log(id, false).quoted() + " (" + source.quotedPrimaryKey()
                + (keys ? ", " + MigrationSql.OLD_KEY + ", " + MigrationSql.NEW_KEY : "") + ") SELECT "
                + source.quotedPrimaryKey()
                + (keys ? ", t.k, s.k" : "")
                + " FROM (" + sourceRows + ") s FULL JOIN (" + targetRows + ") t USING (" + source.quotedPrimaryKey()
                + ") WHERE s.h IS DISTINCT FROM t.h";
    }
}
