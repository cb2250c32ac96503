package dev.autopartition.internal.migrate;

import dev.autopartition.LockMode;
import dev.autopartition.MigrationStrategy;
import dev.autopartition.StatementFailedException;
import dev.autopartition.TableName;
import dev.autopartition.internal.plan.Statement;
import dev.autopartition.internal.plan.Unit;
import dev.autopartition.internal.sql.Transactions;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Loads the partitions of a copy migration: standalone table, batched copy with a cursor committed with each batch,
 * foreign keys proven, vacuum and analyze, attach. Every batch goes through the run's pacer.
 */
final class PartitionLoader {
    private static final Logger LOG = LoggerFactory.getLogger(PartitionLoader.class);
    /** The first slice of a partition's copy: a guess the later slices correct from the rows it held. */
    private static final int INITIAL_SLICES = 16;

    private final MigrationRun run;
    private final MigrationSql sql;

    PartitionLoader(MigrationRun run) {
        this.run = run;
        this.sql = run.sql();
    }

    /**
     * Loads every partition not attached yet, newest first; with {@code groupEmpty}, those whose range holds no row
     * are attached in groups first.
     */
    void loadPending(boolean groupEmpty) {
        List<TargetPartition> pending = new ArrayList<>();
        for (TargetPartition p :
                run.ctx.store.partitions(run.connection, run.row().id())) {
            if (!p.state().equals("attached")) {
                pending.add(0, p); // newest first
            }
        }
        List<TargetPartition> left = groupEmpty ? attachEmpty(pending) : pending;
        Workers.forEachPartition(run, left, "load", (worker, share, p) -> load(worker, share, p));
    }

    /** Partitions for keys written since the plan (the clock moved, or rows came in out of range). */
    void ensurePartitions() {
        Set<Long> known = new HashSet<>();
        run.ctx.store.partitions(run.connection, run.row().id()).forEach(p -> known.add(p.lower()));
        for (TargetPartition p :
                run.ctx.range.partitions(run.connection, run.source, run.spec.partitioning(), known, false)) {
            run.ctx.run(
                    run.connection,
                    List.of(Unit.transaction(Statement.bookkeeping(
                            run.ctx.store.partitionSql(run.row().id(), p)))),
                    "plan partition " + p.name());
            load(run.connection, 0, p);
        }
    }

    /**
     * Partitions whose range holds no row of the source (the days between the newest key and now, say) are created
     * and attached in groups, without a copy, a vacuum or a transaction per step: a row written into such a range
     * after this look is in the change log (the capture trigger committed before it), and the replay copies it.
     * Returns the partitions left to load.
     */
    private List<TargetPartition> attachEmpty(List<TargetPartition> pending) {
        Connection connection = run.connection;
        Set<String> existing = new HashSet<>(
                run.ctx.reader.relationNames(connection, run.source.name().schema()));
        List<TargetPartition> fresh = pending.stream()
                .filter(p -> !existing.contains(p.name()))
                .sorted(Comparator.comparingLong(TargetPartition::lower))
                .toList();
        if (fresh.size() < 2) {
            return pending;
        }
        Set<Integer> holding =
                occupied(fresh.stream().map(TargetPartition::lower).toList());
        List<TargetPartition> empty = new ArrayList<>();
        for (int i = 0; i < fresh.size(); i++) {
            // a key between or above the ranges counts for the range below it: never wrongly empty
            if (!holding.contains(i + 1)) {
                empty.add(fresh.get(i));
            }
        }
        // adding a foreign key locks the referenced table against writes: keep those transactions short
        int group = run.source.outboundForeignKeys().isEmpty() ? 100 : 10;
        for (int from = 0; from < empty.size(); from += group) {
            List<Statement> statements = new ArrayList<>();
            for (TargetPartition p : empty.subList(from, Math.min(empty.size(), from + group))) {
                statements.add(sql.createPartition(p).statement());
                // no bounds CHECK: ATTACH's scan of an empty table costs nothing
                statements.add(sql.attach(p).statement());
                statements.add(Statement.bookkeeping(
                        run.ctx.store.attachedSql(run.row().id(), p)));
            }
            run.ctx.run(connection, List.of(new Unit(true, statements)), "attach empty partitions");
        }
        if (!empty.isEmpty()) {
            LOG.info("{}: {} partitions without rows created and attached", run.source.name(), empty.size());
        }
        Set<Long> done = new HashSet<>();
        empty.forEach(p -> done.add(p.lower()));
        return pending.stream().filter(p -> !done.contains(p.lower())).toList();
    }

    private Set<Integer> occupied(List<Long> lowers) {
        Set<Integer> holding = new HashSet<>();
        String query = sql.occupiedPartitions(lowers);
        try (var st = run.connection.createStatement();
                ResultSet rs = st.executeQuery(query)) {
            while (rs.next()) {
                holding.add(rs.getInt(1));
            }
            return holding;
        } catch (SQLException e) {
            throw new StatementFailedException("Cannot find the empty ranges of " + run.source.name(), query, e);
        }
    }

    /** Loads one partition on {@code connection} (worker {@code worker}'s) and attaches it. */
    void load(Connection connection, int worker, TargetPartition p) {
        TableName partition = TableName.of(run.source.name().schema(), p.name());
        boolean exists =
                run.ctx.reader.relationNames(connection, partition.schema()).contains(partition.name());
        TargetPartition current = p;
        if (!exists) {
            run.ctx.run(
                    connection,
                    List.of(Unit.transaction(
                            sql.createPartition(p).statement(),
                            sql.boundsCheck(p).statement(),
                            Statement.bookkeeping("UPDATE " + run.ctx.store.partitions() + " SET state = 'loading',"
                                    + " cursor_values = NULL, rows_copied = 0 WHERE migration_id = "
                                    + run.row().id()
                                    + " AND lower_bound = " + p.lower()))),
                    "create partition " + partition);
            current = new TargetPartition(p.name(), p.lower(), p.upper(), "loading", null, 0);
        }
        if (run.row().strategy() == MigrationStrategy.COPY) {
            copy(connection, worker, current);
        }
        proveForeignKeys(connection, partition, current);
        buildIndexes(connection, partition, current);
        // Statistics before the partition joins the parent: without them the planner expects thousands of rows per
        // key and replays every logged change by scanning all partitions, the cutover's replay included. The vacuum
        // also leaves autovacuum nothing to do on it, so it does not hold locks the cutover needs.
        run.ctx.run(connection, sql.vacuum(current), "vacuum and analyze " + partition);
        List<Statement> attach = List.of(
                sql.attach(current).statement(),
                sql.dropBoundsCheck(current).statement(),
                Statement.bookkeeping(run.ctx.store.attachedSql(run.row().id(), current)));
        synchronized (run.ctx.parentLocks) {
            run.ctx.run(connection, List.of(new Unit(true, attach)), "attach " + partition);
        }
        run.notePace(connection);
        LOG.info("{}: partition {} loaded and attached", run.source.name(), partition);
    }

    /**
     * The partition's keys and indexes, built in one transaction before the attach, so that a rerun finds all of
     * them or none.
     */
    private void buildIndexes(Connection connection, TableName partition, TargetPartition p) {
        List<ScriptStatement> indexes = sql.partitionIndexes(p);
        if (indexes.isEmpty()
                || Lookups.exists(
                        connection,
                        "SELECT 1 FROM pg_catalog.pg_index WHERE indrelid = ?::regclass",
                        "Cannot look up the indexes of " + partition,
                        partition.quoted())) {
            return;
        }
        List<Statement> statements = new ArrayList<>();
        // PostgreSQL's parallel build would add two processes to each worker's build: with several partitions built
        // at once that oversubscribes the cores (two workers built 18% slower with it), and a pacer holding the
        // migration to one worker would still get three busy processes
        statements.add(Statement.ddl(
                "SET LOCAL max_parallel_maintenance_workers = 0", LockMode.NONE, partition.quoted(), "none"));
        indexes.forEach(index -> statements.add(index.statement()));
        run.ctx.run(connection, List.of(new Unit(true, statements)), "index " + partition);
    }

    /**
     * PostgreSQL 18 takes ACCESS EXCLUSIVE on the referenced table when ATTACH adopts a foreign key the partition
     * already has (seen with a reader of the referenced table: the attach waited behind it); when ATTACH adds the key
     * itself it takes only SHARE ROW EXCLUSIVE, so there the key is left to ATTACH.
     */
    private void proveForeignKeys(Connection connection, TableName partition, TargetPartition p) {
        if (run.ctx.reader.serverMajor(connection) >= 18) {
            return;
        }
        synchronized (run.ctx.parentLocks) {
            for (MigrationSql.ForeignKeyProof fk : sql.partitionForeignKeys(p)) {
                if (!Lookups.exists(
                        connection,
                        "SELECT 1 FROM pg_catalog.pg_constraint WHERE conrelid = ?::regclass AND conname = ?",
                        "Cannot look up a constraint of " + partition,
                        partition.quoted(),
                        fk.name())) {
                    run.ctx.run(connection, fk.add(), "prove the foreign keys of " + partition);
                }
                run.ctx.run(connection, fk.validate(), "prove the foreign keys of " + partition);
            }
        }
    }

    /**
     * Copies a partition's range in slices of the key, each committed with the slice's upper end as the cursor. The
     * slice width adapts to the rows each slice held, so a batch stays near the pacer's batch size however the data
     * is spread. Without an index that starts with the key, each slice would scan the whole table, so the range is
     * copied in one statement instead.
     */
    private void copy(Connection connection, int worker, TargetPartition p) {
        List<String> cursor = p.cursor();
        long from = cursor == null ? p.lower() : Long.parseLong(cursor.get(0));
        long width =
                run.source.keyIndexed() ? Math.max(1, (p.upper() - p.lower()) / INITIAL_SLICES) : p.upper() - p.lower();
        while (from < p.upper()) {
            int batchRows = run.pacer.batchRows();
            long to = p.upper() - from <= width ? p.upper() : from + width;
            String slice = sql.copySlice(p, from, to);
            long copied;
            try {
                copied = Transactions.run(connection, () -> {
                    long count;
                    try (var st = connection.createStatement()) {
                        st.execute(MigrationSql.READ_PAGES_ONCE);
                        count = st.executeUpdate(slice);
                    }
                    run.ctx.store.recordBatch(connection, run.row().id(), p, List.of(Long.toString(to)), count);
                    return count;
                });
            } catch (SQLException e) {
                throw new StatementFailedException("Cannot copy a batch into " + p.name(), slice, e);
            }
            from = to;
            width = nextWidth(width, copied, batchRows);
            run.pacer.afterBatch(worker, copied);
        }
    }

    /** The next slice's width: scaled toward {@code batchSize} rows, by at most a factor of four each way. */
    static long nextWidth(long width, long copied, int batchSize) {
        double scaled = copied == 0 ? width * 4.0 : (double) width * batchSize / copied;
        double bounded = Math.max(width / 4.0, Math.min(width * 4.0, scaled));
        return Math.max(1, bounded >= Long.MAX_VALUE ? Long.MAX_VALUE : (long) bounded);
    }
}
