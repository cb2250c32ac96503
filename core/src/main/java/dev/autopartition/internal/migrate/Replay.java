package dev.autopartition.internal.migrate;

import dev.autopartition.Execution;
import dev.autopartition.LockMode;
import dev.autopartition.StatementFailedException;
import dev.autopartition.TableName;
import dev.autopartition.internal.pace.Pacer;
import dev.autopartition.internal.sql.Transactions;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.postgresql.util.PSQLException;
import org.postgresql.util.ServerErrorMessage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Replays the forward change log: each logged key's current source row replaces whatever the new table holds for it,
 * so the replay is idempotent and order-independent. Outside the cutover's lock every batch goes through the pacer.
 */
final class Replay {
    private static final Logger LOG = LoggerFactory.getLogger(Replay.class);
    static final int REPLAY_BATCH = 5_000;
    /** A backlog still above this after the catch-up means writers outpace the replay: worth a warning. */
    static final int CUTOVER_BACKLOG = 200;

    private static final int MAX_REPLAY_PASSES = 10;
    private static final int CATCH_UP_ROUNDS = 3;

    private final MigrationRun run;
    private final Pacer pacer;
    /** The knobs' pace, which the run's pacer gives way to once the replay fell behind. */
    private final Pacer atTheLimits;

    private final ReplaySql sql;

    Replay(MigrationRun run, Pacer pacer) {
        this.run = run;
        this.pacer = pacer;
        this.atTheLimits = Pacer.fixed(REPLAY_BATCH, run.spec.pause());
        this.sql = run.replaySql();
    }

    /**
     * The pacer given, except that the run's pacer gives way to the knobs' limits once a pass has not shrunk the
     * backlog (see {@link MigrationRun#replayFellBehind}); the unpaced replay under the cutover's lock stays unpaced.
     */
    private Pacer pacer() {
        return pacer == run.pacer && run.replayBehind() ? atTheLimits : pacer;
    }

    /**
     * Brings the backlog as close to zero as the writers allow, so that little is left for the cutover's lock. The
     * log is vacuumed first: every replayed change left a dead entry in it, and the replay under the lock would
     * otherwise read past all of them.
     */
    void beforeLock() {
        TableName log = run.ctx.store.log(run.row().id(), false);
        run.ctx.run(
                run.connection,
                ScriptStatement.outside(
                        "VACUUM (ANALYZE) " + log.quoted(),
                        LockMode.SHARE_UPDATE_EXCLUSIVE,
                        log.quoted(),
                        "SHARE UPDATE EXCLUSIVE on the change log",
                        Execution.OUTSIDE_TRANSACTION),
                "vacuum the change log of " + run.source.name());
        long left = Long.MAX_VALUE;
        // a round ends when a pass no longer shrinks the backlog; busy writers may let a later round get further
        for (int round = 0; round < CATCH_UP_ROUNDS && left > CUTOVER_BACKLOG; round++) {
            forward();
            left = run.ctx.store.backlog(run.connection, run.row().id(), false);
            LOG.debug("{}: {} recorded changes wait after catch-up round {}", run.source.name(), left, round + 1);
        }
        if (left > CUTOVER_BACKLOG) {
            LOG.warn(
                    "{}: {} recorded changes are still waiting; writers are outpacing the replay, so the cutover"
                            + " will hold its lock while it replays them",
                    run.source.name(),
                    left);
        }
    }

    /**
     * Replays until the backlog is empty or stops shrinking. One pass ends at the log's newest entry when it started,
     * so writers that kept writing during a long pass leave a backlog: passes repeat while the backlog shrinks,
     * because whatever is left is replayed under the cutover's lock. A backlog that does not shrink is recorded as the
     * migration falling behind (status, progress, health), with the rates and what to do, until a pass shrinks it.
     */
    long forward() {
        Connection connection = run.connection;
        long id = run.row().id();
        long replayed = 0;
        long before = run.ctx.store.backlog(connection, id, false);
        for (int pass = 0; pass < MAX_REPLAY_PASSES; pass++) {
            long began = System.nanoTime();
            long done = replayAddingPartitions(connection);
            replayed += done;
            long after = run.ctx.store.backlog(connection, id, false);
            double seconds = Math.max(0.001, (System.nanoTime() - began) / 1e9);
            if (after < before || after <= CUTOVER_BACKLOG) {
                run.ctx.store.clearBehind(connection, run.row());
            }
            if (after == 0) {
                break;
            }
            if (after >= before && after > CUTOVER_BACKLOG) {
                String message = String.format(
                        Locale.ROOT,
                        "catch-up is not keeping up: %d recorded changes wait (%d before the last pass); the replay"
                                + " applied %.0f changes/s while writers added %.0f/s. Fix: lower the write rate"
                                + " for a while, raise parallelism (now %d), or stop at VERIFIED (cutover=false) and"
                                + " cut over in a quieter hour; the migration keeps trying",
                        after,
                        before,
                        done / seconds,
                        (after - before + done) / seconds,
                        run.spec.parallelism());
                LOG.warn("{}: {}", run.source.name(), message);
                run.ctx.store.recordBehind(connection, run.row(), message);
                run.replayFellBehind();
                break;
            }
            before = after;
        }
        return replayed;
    }

    /**
     * One pass of {@link #replay}; a change whose row lies in a period without a partition (a write into a period
     * skipped as empty, after the last look for occupied periods) gets its partition, and the pass runs again: the
     * batches before it are committed, and replaying is idempotent.
     */
    private long replayAddingPartitions(Connection connection) {
        TableName log = run.ctx.store.log(run.row().id(), false);
        long ceiling = maxLogId(connection, log);
        for (int added = 0; ; added++) {
            try {
                return replay(connection, run.spec.parallelism(), ceiling);
            } catch (StatementFailedException e) {
                if (!missingPartition(e) || added >= MAX_REPLAY_PASSES) {
                    throw e;
                }
                LOG.info("{}: a recorded change lies in a period without a partition; adding it", run.source.name());
                // the ceiling first: the look for occupied periods then sees every row logged below it, and the
                // pass does not chase rows written while the partitions are made
                ceiling = maxLogId(connection, log);
                new PartitionLoader(run).ensurePartitions();
            }
        }
    }

    /**
     * Replays the forward change log in batches, each in its own transaction, until every entry that existed when it
     * started is replayed (writers that keep writing cannot keep it busy forever). On a connection of its own it uses
     * {@code workers} connections, each replaying the entries of its share of the primary keys. Returns how many
     * entries it replayed.
     */
    long replay(Connection connection, int workers) {
        return replay(
                connection,
                workers,
                maxLogId(connection, run.ctx.store.log(run.row().id(), false)));
    }

    private long replay(Connection connection, int workers, long ceiling) {
        TableName log = run.ctx.store.log(run.row().id(), false);
        if (!logHasKeys(connection)) {
            return new LegacyReplay(run, sql).replay(connection);
        }
        // only attached partitions can hold rows; a key between them maps to a neighbour, a harmless extra delete
        List<TargetPartition> partitions = run
                .ctx
                .store
                .partitions(connection, run.row().id())
                .stream()
                .filter(p -> p.state().equals("attached"))
                .toList();
        List<Long> lowers = partitions.stream().map(TargetPartition::lower).toList();
        List<String> names = partitions.stream().map(TargetPartition::name).toList();
        if (lowers.isEmpty()) {
            return 0;
        }
        pacer().stage("replay");
        boolean own;
        try {
            own = connection.getAutoCommit();
        } catch (SQLException e) {
            throw new StatementFailedException("Cannot read the connection's auto-commit mode", "(getAutoCommit)", e);
        }
        // connections of their own pay off only for a backlog of several batches; a small one (the catch-up just
        // before the cutover's lock, retried after each attempt) is replayed at once on this connection
        if (workers <= 1
                || !own
                || run.ctx.connections.shared()
                || !run.ctx.store.backlogAbove(connection, run.row().id(), false, 2L * REPLAY_BATCH)) {
            return replayShare(connection, log, ceiling, lowers, names, 0, 1);
        }
        return Workers.onWorkers(
                run.ctx.connections,
                workers,
                run.row().table(),
                "replay the changes recorded for it",
                pacer(),
                (worker, share) -> replayShare(worker, log, ceiling, lowers, names, share, workers));
    }

    /**
     * Replays one worker's share of the log in batches. A batch, in one REPEATABLE READ snapshot: read the entries
     * with the partitions of their old key, their new key and the source row's current key; delete the keys from
     * exactly those partitions (one statement per partition, sent together); copy the current rows through the parent
     * (routed to their partitions); remove the entries. The work per entry is a few index probes, whatever the number
     * of partitions. docs/how-it-works.md has the argument for why no row is missed.
     */
    private long replayShare(
            Connection connection,
            TableName log,
            long ceiling,
            List<Long> lowers,
            List<String> names,
            int share,
            int shares) {
        long replayed = 0;
        while (true) {
            String pick = sql.replayBatch(
                    ceiling, Math.max(1, Math.min(REPLAY_BATCH, pacer().batchRows())), lowers, share, shares);
            try {
                boolean own = connection.getAutoCommit();
                long picked = Transactions.run(connection, () -> batch(connection, own, pick, names));
                if (picked == 0) {
                    return replayed;
                }
                if (own) {
                    // counted after the commit: parallel workers in REPEATABLE READ would otherwise conflict on the
                    // migration's row; a count lost to a crash is only a count
                    run.ctx.store.add(connection, run.row().id(), "rows_replayed", picked);
                }
                replayed += picked;
                pacer().afterBatch(share, picked);
            } catch (SQLException e) {
                throw new StatementFailedException(
                        "Cannot replay the changes recorded for " + run.row().table(), "replay of " + log, e);
            }
        }
    }

    private long batch(Connection connection, boolean own, String pick, List<String> names) throws SQLException {
        TreeMap<Integer, List<Long>> byPartition = new TreeMap<>();
        List<Long> all = new ArrayList<>();
        try (var st = connection.createStatement()) {
            if (own) {
                st.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ");
            }
            indexPlansOnly(st);
            try (ResultSet rs = st.executeQuery(pick)) {
                while (rs.next()) {
                    long logId = rs.getLong(1);
                    all.add(logId);
                    Set<Integer> targets = new HashSet<>(3);
                    for (int column = 2; column <= 4; column++) {
                        int position = rs.getInt(column);
                        if (!rs.wasNull() && position > 0) {
                            targets.add(position);
                        }
                    }
                    for (int position : targets) {
                        byPartition
                                .computeIfAbsent(position, k -> new ArrayList<>())
                                .add(logId);
                    }
                }
            }
            if (all.isEmpty()) {
                return 0L;
            }
            for (Map.Entry<Integer, List<Long>> e : byPartition.entrySet()) {
                st.addBatch(sql.replayDelete(names.get(e.getKey() - 1), idArray(e.getValue())));
            }
            st.executeBatch();
            for (String s : sql.replayCopy(idArray(all))) {
                st.executeUpdate(s);
            }
        }
        if (!own) { // inside the cutover: counted with the work
            run.ctx.store.add(connection, run.row().id(), "rows_replayed", all.size());
        }
        return (long) all.size();
    }

    /**
     * Whether a replay failed because a row's key lies in a range with no partition: with {@code skipEmptyPeriods},
     * a write into a skipped period after the last look for occupied periods. Creating its partition and replaying
     * again is the cure. The server reports it as a check violation that names no constraint (a CHECK constraint's
     * violation names its constraint), which holds whatever the language of its messages.
     */
    static boolean missingPartition(StatementFailedException e) {
        if (!"23514".equals(e.sqlState()) || !(e.getCause() instanceof PSQLException cause)) {
            return false;
        }
        ServerErrorMessage server = cause.getServerErrorMessage();
        return server != null && server.getConstraint() == null;
    }

    static String idArray(List<Long> ids) {
        StringBuilder text = new StringBuilder("'{");
        for (int i = 0; i < ids.size(); i++) {
            if (i > 0) {
                text.append(',');
            }
            text.append(ids.get(i));
        }
        return text.append("}'::bigint[]").toString();
    }

    /** Whether the forward log records partition keys; a migration prepared by an older version has a log without. */
    boolean logHasKeys(Connection connection) {
        try (var st = connection.createStatement();
                ResultSet rs = st.executeQuery(sql.logHasKeys(false))) {
            rs.next();
            return rs.getBoolean(1);
        } catch (SQLException e) {
            throw new StatementFailedException("Cannot read the shape of the change log", sql.logHasKeys(false), e);
        }
    }

    /**
     * Replays look rows up by key. Past a few hundred keys the planner's estimate favours one scan of every partition
     * over index probes (seconds at ten million rows, where the probes take milliseconds), and under the cutover's
     * lock that would be seconds of blocked writers; for the rest of the transaction it may only probe.
     */
    static void indexPlansOnly(java.sql.Statement st) throws SQLException {
        st.execute("SET LOCAL enable_seqscan = off");
        st.execute("SET LOCAL enable_hashjoin = off");
        st.execute("SET LOCAL enable_mergejoin = off");
    }

    static long maxLogId(Connection connection, TableName log) {
        String sql = "SELECT coalesce(max(log_id), 0) FROM " + log.quoted();
        try (var st = connection.createStatement();
                ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        } catch (SQLException e) {
            throw new StatementFailedException("Cannot read the change log", sql, e);
        }
    }
}
