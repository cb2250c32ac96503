package dev.autopartition.internal.plan;

import dev.autopartition.Execution;
import dev.autopartition.LockMode;
import dev.autopartition.RetentionAction;
import dev.autopartition.TableName;
import dev.autopartition.internal.catalog.EngineCatalog;
import dev.autopartition.internal.sql.KeyType;
import dev.autopartition.internal.sql.Sql;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;

/**
 * Turns steps into SQL. This is the only place partition DDL is written; every name goes through {@link
 * Sql#quote(String)} and every bound through {@link KeyType#literal(long)}.
 */
public final class Renderer {
    /** The CHECK constraint that proves a standalone table's bounds so ATTACH need not scan it. */
    static final String BOUNDS_CHECK = "autopartition_bounds";

    private static final String LIKE_OPTIONS = "INCLUDING DEFAULTS INCLUDING CONSTRAINTS INCLUDING GENERATED"
            + " INCLUDING STORAGE INCLUDING COMPRESSION INCLUDING COMMENTS INCLUDING STATISTICS";

    private final String keyColumn;
    private final KeyType keyType;
    private final @Nullable Long tableId;
    private final EngineCatalog catalog;
    private final int batchSize;

    public Renderer(String keyColumn, KeyType keyType, @Nullable Long tableId, EngineCatalog catalog, int batchSize) {
        this.keyColumn = keyColumn;
        this.keyType = keyType;
        this.tableId = tableId;
        this.catalog = catalog;
        this.batchSize = batchSize;
    }

    public List<Unit> render(Step step) {
        if (step instanceof CreatePartition create) {
            return create(create);
        }
        if (step instanceof AttachPartition create) {
            return createDefault(create);
        }
        if (step instanceof RemovePartition remove) {
            return remove(remove);
        }
        if (step instanceof MovePartition move) {
            return move(move);
        }
        ConvertTable convert = (ConvertTable) step;
        List<Statement> statements = new ArrayList<>();
        for (String sql : convert.statements()) {
            statements.add(Statement.ddl(
                    sql,
                    LockMode.ACCESS_EXCLUSIVE,
                    convert.parent().quoted(),
                    "ACCESS EXCLUSIVE on the empty table " + convert.parent()));
        }
        return List.of(new Unit(true, statements));
    }

    private List<Unit> create(CreatePartition step) {
        String parent = step.parent().quoted();
        String partition = step.partition().quoted();
        String key = Sql.quote(keyColumn);
        String lo = keyType.literal(step.lower());
        String hi = keyType.literal(step.upper());
        List<Unit> units = new ArrayList<>();
        if (!step.reusePending()) {
            List<Statement> standalone = new ArrayList<>();
            standalone.add(standalone(partition, parent));
            standalone.add(Statement.ddl(
                    "ALTER TABLE " + partition + " ADD CONSTRAINT " + Sql.quote(BOUNDS_CHECK) + " CHECK (" + key
                            + " IS NOT NULL AND " + key + " >= " + lo + " AND " + key + " < " + hi + ")",
                    LockMode.ACCESS_EXCLUSIVE,
                    partition,
                    "ACCESS EXCLUSIVE on the new, unattached table " + partition + " only"));
            record(standalone, step.partition(), step.lower(), step.upper(), false, "pending");
            units.add(new Unit(true, standalone));
        }
        List<Statement> attach = new ArrayList<>();
        String attachLock = "SHARE UPDATE EXCLUSIVE on " + parent + " (reads and writes go on)";
        LockMode attachMode = LockMode.SHARE_UPDATE_EXCLUSIVE;
        String attachObject = parent;
        if (step.defaultPartition() != null) {
            attachMode = LockMode.ACCESS_EXCLUSIVE;
            attachObject = step.defaultPartition().quoted();
            attach.add(moveFromDefault(step, key, lo, hi));
            attachLock += "; ACCESS EXCLUSIVE on the default partition " + step.defaultPartition()
                    + " while ATTACH checks it";
        }
        attach.add(Statement.ddl(
                "ALTER TABLE " + parent + " ATTACH PARTITION " + partition + " FOR VALUES FROM (" + lo + ") TO (" + hi
                        + ")",
                attachMode,
                attachObject,
                attachLock));
        attach.add(Statement.ddl(
                "ALTER TABLE " + partition + " DROP CONSTRAINT " + Sql.quote(BOUNDS_CHECK),
                LockMode.ACCESS_EXCLUSIVE,
                partition,
                "ACCESS EXCLUSIVE on " + partition + " (not yet visible to other sessions)"));
        record(attach, step.partition(), step.lower(), step.upper(), false, "attached");
        units.add(new Unit(true, attach));
        return units;
    }

    /*
     * Rows of the new range that sit in the default partition move in batches inside the attaching transaction:
     * readers see them in the default until the commit and in the new partition after it, never in neither.
     */
    private Statement moveFromDefault(CreatePartition step, String key, String lo, String hi) {
        TableName defaultPartition = step.defaultPartition();
        String source = defaultPartition == null ? "" : defaultPartition.quoted();
        String columns = step.columns().stream().map(Sql::quote).collect(Collectors.joining(", "));
        String sql = "WITH moved AS (DELETE FROM " + source + " WHERE ctid = ANY (ARRAY(SELECT ctid FROM " + source
                + " WHERE " + key + " >= " + lo + " AND " + key + " < " + hi + " LIMIT " + batchSize + ")) RETURNING "
                + columns + ") INSERT INTO " + step.partition().quoted() + " (" + columns + ") SELECT " + columns
                + " FROM moved";
        return new Statement(
                sql,
                LockMode.ROW_EXCLUSIVE,
                source,
                "ROW EXCLUSIVE on " + source + ", repeated in batches of " + batchSize,
                Statement.Kind.BATCH,
                Execution.IN_TRANSACTION,
                null,
                null);
    }

    private List<Unit> createDefault(AttachPartition step) {
        String parent = step.parent().quoted();
        String partition = step.partition().quoted();
        List<Unit> units = new ArrayList<>();
        if (!step.reusePending()) {
            List<Statement> standalone = new ArrayList<>();
            standalone.add(standalone(partition, parent));
            record(standalone, step.partition(), null, null, true, "pending");
            units.add(new Unit(true, standalone));
        }
        List<Statement> attach = new ArrayList<>();
        attach.add(Statement.ddl(
                "ALTER TABLE " + parent + " ATTACH PARTITION " + partition + " " + step.bound(),
                LockMode.SHARE_UPDATE_EXCLUSIVE,
                parent,
                "SHARE UPDATE EXCLUSIVE on " + parent + " (reads and writes go on)"));
        record(attach, step.partition(), null, null, step.bound().equals("DEFAULT"), "attached");
        units.add(new Unit(true, attach));
        return units;
    }

    /** A new, empty table shaped like the parent, not attached yet: no lock on the parent beyond reading it. */
    private static Statement standalone(String partition, String parent) {
        return Statement.ddl(
                "CREATE TABLE " + partition + " (LIKE " + parent + " " + LIKE_OPTIONS + ")",
                LockMode.ACCESS_SHARE,
                parent,
                "ACCESS SHARE on " + parent + " (reads its definition)");
    }

    /** Adds the statement that records ownership, when the parent is managed. */
    private void record(
            List<Statement> statements,
            TableName partition,
            @Nullable Long lower,
            @Nullable Long upper,
            boolean isDefault,
            String state) {
        if (tableId != null) {
            statements.add(Statement.bookkeeping(
                    catalog.recordPartitionSql(tableId, partition, lower, upper, isDefault, state, "created")));
        }
    }

    /*
     * SET TABLESPACE copies the relation file by file while it holds ACCESS EXCLUSIVE on that one relation: the
     * partition (or index) is blocked for the copy, the parent and the other partitions are not. Each relation moves
     * in its own transaction, so a lock that is not granted in time costs a retry of one relation only, and a run that
     * stops half way leaves the rest to the next run, which skips what is already there.
     */
    private List<Unit> move(MovePartition step) {
        String tablespace = Sql.quote(step.tablespace());
        List<Unit> units = new ArrayList<>();
        if (step.moveTable()) {
            units.add(Unit.transaction(Statement.ddl(
                    "ALTER TABLE " + step.partition().quoted() + " SET TABLESPACE " + tablespace,
                    LockMode.ACCESS_EXCLUSIVE,
                    step.partition().quoted(),
                    "ACCESS EXCLUSIVE on the partition " + step.partition().quoted() + " only, while it is copied"
                            + " (queries that read it wait; the parent is not locked)")));
        }
        for (TableName index : step.indexes()) {
            units.add(Unit.transaction(Statement.ddl(
                    "ALTER INDEX " + index.quoted() + " SET TABLESPACE " + tablespace,
                    LockMode.ACCESS_EXCLUSIVE,
                    index.quoted(),
                    "ACCESS EXCLUSIVE on the index " + index.quoted() + " only, while it is copied")));
        }
        if (tableId != null && !units.isEmpty()) {
            Unit last = units.remove(units.size() - 1);
            List<Statement> statements = new ArrayList<>(last.statements());
            statements.add(Statement.bookkeeping(catalog.partitionTablespaceSql(step.partition(), step.tablespace())));
            units.add(new Unit(true, statements));
        }
        return units;
    }

    private List<Unit> remove(RemovePartition step) {
        String parent = step.parent().quoted();
        String partition = step.partition().quoted();
        List<Unit> units = new ArrayList<>();
        List<Statement> finish = new ArrayList<>();
        switch (step.detach()) {
            case CONCURRENTLY ->
                units.add(Unit.autocommit(new Statement(
                        "ALTER TABLE " + parent + " DETACH PARTITION " + partition + " CONCURRENTLY",
                        LockMode.SHARE_UPDATE_EXCLUSIVE,
                        parent,
                        "SHARE UPDATE EXCLUSIVE on " + parent + "; waits for transactions still using " + partition,
                        Statement.Kind.DDL,
                        Execution.CONCURRENTLY,
                        "ALTER TABLE " + parent + " DETACH PARTITION " + partition + " FINALIZE",
                        "SELECT coalesce(bool_or(inhdetachpending), false) FROM pg_catalog.pg_inherits WHERE inhrelid = "
                                + Sql.literal(partition) + "::regclass")));
            case FINALIZE ->
                units.add(Unit.autocommit(Statement.outside(
                        "ALTER TABLE " + parent + " DETACH PARTITION " + partition + " FINALIZE",
                        LockMode.SHARE_UPDATE_EXCLUSIVE,
                        parent,
                        "SHARE UPDATE EXCLUSIVE on " + parent + "; waits for transactions still using " + partition,
                        Execution.CONCURRENTLY_AFTER_OLDER_TRANSACTIONS)));
            case PLAIN ->
                finish.add(
                        Statement.ddl(
                                "ALTER TABLE " + parent + " DETACH PARTITION " + partition,
                                LockMode.ACCESS_EXCLUSIVE,
                                parent,
                                "ACCESS EXCLUSIVE on " + parent
                                        + ", for at most lock_timeout (a concurrent detach is ruled"
                                        + " out by a default partition, by a surrounding transaction, or before PostgreSQL 14)"));
            default -> {
                // already detached: only the action remains
            }
        }
        String detachedLock = "ACCESS EXCLUSIVE on the detached table " + partition + " only";
        if (step.action() == RetentionAction.DROP) {
            finish.add(Statement.ddl("DROP TABLE " + partition, LockMode.ACCESS_EXCLUSIVE, partition, detachedLock));
            if (tableId != null) {
                finish.add(Statement.bookkeeping(catalog.forgetPartitionSql(step.partition())));
            }
        } else if (step.action() == RetentionAction.MOVE && step.targetSchema() != null) {
            finish.add(Statement.ddl(
                    "ALTER TABLE " + partition + " SET SCHEMA " + Sql.quote(step.targetSchema()),
                    LockMode.ACCESS_EXCLUSIVE,
                    partition,
                    detachedLock));
            if (tableId != null) {
                finish.add(Statement.bookkeeping(catalog.partitionStateSql(
                        step.partition(),
                        "detached",
                        TableName.of(step.targetSchema(), step.partition().name()))));
            }
        } else if (tableId != null) {
            finish.add(
                    Statement.bookkeeping(catalog.partitionStateSql(step.partition(), "detached", step.partition())));
        }
        units.add(new Unit(true, finish));
        return units;
    }
}
