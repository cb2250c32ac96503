package dev.autopartition.internal.migrate;

import dev.autopartition.AutoPartitionException;
import dev.autopartition.LockTimeoutException;
import dev.autopartition.MigrationPhase;
import dev.autopartition.StatementFailedException;
import dev.autopartition.TableName;
import dev.autopartition.internal.plan.Statement;
import dev.autopartition.internal.plan.Unit;
import dev.autopartition.internal.sql.Transactions;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ThreadLocalRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * VERIFIED to CUT_OVER: one short transaction behind the cutover's lock timeout, retried with the engine's backoff:
 * take the locks, replay the last changes, run the script's cutover stage. Then, idempotently, the after-cutover stage
 * and the registration of the table's rule.
 */
record CutoverPhase() implements Phase {
    private static final Logger LOG = LoggerFactory.getLogger(CutoverPhase.class);

    @Override
    public MigrationPhase from() {
        return MigrationPhase.VERIFIED;
    }

    @Override
    public void advance(MigrationRun run) {
        if (run.spec.cutover()) {
            cutover(run);
        }
    }

    /** Cuts over, whatever the spec says about stopping at VERIFIED. */
    static void cutover(MigrationRun run) {
        MigrationRow row = run.row();
        TableName table = run.source.name();
        List<ScriptStatement> statements = run.ctx.store.script(run.connection, row.id(), Stage.CUTOVER);
        LockTimeoutException last = null;
        for (int attempt = 1; attempt <= run.spec.cutoverAttempts(); attempt++) {
            run.strategy.beforeCutover(run);
            try {
                double lockMillis = once(run, statements);
                run.ctx.run(
                        run.connection,
                        List.of(Unit.transaction(
                                Statement.bookkeeping(run.ctx.store.cutoverSql(row.id(), lockMillis)))),
                        "record the cutover");
                LOG.info(
                        "{}: cut over on attempt {}; the table was locked for {} ms",
                        table,
                        attempt,
                        String.format(Locale.ROOT, "%.1f", lockMillis));
                run.advance(run.ctx.reload(run.connection, row));
                return;
            } catch (LockTimeoutException e) {
                last = e;
                recordAttempt(run, attempt, "did not get its lock: " + blockers(run.connection, table));
                pauseBeforeAttempt(attempt + 1, "the cutover of " + table);
            } catch (StatementFailedException e) {
                if (!Replay.missingPartition(e)) {
                    throw e;
                }
                // a write just before the lock into a period skipped as empty: the next attempt adds its partition
                recordAttempt(
                        run,
                        attempt,
                        "was rolled back: a change recorded just before it lies in a period without a"
                                + " partition, which the next attempt adds");
            }
        }
        throw new LockTimeoutException(
                "The cutover of " + table + " did not get its lock within "
                        + run.spec.cutoverLockTimeout().toMillis() + " ms on any of " + run.spec.cutoverAttempts()
                        + " attempts; " + blockers(run.connection, table)
                        + ". The migration stays VERIFIED and keeps recording changes."
                        + " Fix: end the blocking transactions, then run the migration (or cutover) again.",
                last == null ? new SQLException("no attempt") : last);
    }

    private static double once(MigrationRun run, List<ScriptStatement> statements) {
        Connection connection = run.connection;
        MigrationPlanner.CutoverLocks locks =
                MigrationPlanner.cutoverLocks(run.source, run.row().newTable(), run.spec);
        String current = locks.original().sql();
        try {
            connection.setAutoCommit(false);
            long locked;
            try (var st = connection.createStatement()) {
                st.execute("SET LOCAL statement_timeout = '30s'");
                // The new table and its partitions first, while nothing waits behind us: the application does not
                // use them yet, but autovacuum may, and it yields to a waiting lock only after deadlock_timeout.
                st.execute("SET LOCAL lock_timeout = '" + MigrationPlanner.NEW_TABLE_LOCK_TIMEOUT.toMillis() + "ms'");
                st.execute(locks.newTable().sql());
                st.execute("SET LOCAL lock_timeout = '"
                        + run.spec.cutoverLockTimeout().toMillis() + "ms'");
                // Safe without waiting for the flush: the application's first commit after ours flushes the WAL
                // up to it, and a crash before that loses the whole cutover, never part of it.
                st.execute("SET LOCAL synchronous_commit = off");
                for (ScriptStatement referencing : locks.referencing()) {
                    st.execute(referencing.sql());
                }
                st.execute(current);
                locked = System.nanoTime();
                long replayed = run.strategy.underCutoverLock(run);
                LOG.info(
                        "{}: replayed {} recorded changes under the cutover lock in {} ms",
                        run.source.name(),
                        replayed,
                        (System.nanoTime() - locked) / 1e6);
                for (ScriptStatement s : statements) {
                    current = s.sql();
                    long began = System.nanoTime();
                    st.execute(s.sql());
                    LOG.debug(
                            "{}: {} ms under the cutover lock: {}",
                            run.source.name(),
                            (System.nanoTime() - began) / 1e6,
                            s.sql());
                }
                current = run.ctx.store.phaseSql(
                        run.row().id(), MigrationPhase.CUT_OVER, "cut over; undo is possible until finalize");
                st.execute(current);
                long committing = System.nanoTime();
                connection.commit();
                LOG.debug("{}: {} ms to commit the cutover", run.source.name(), (System.nanoTime() - committing) / 1e6);
            }
            return (System.nanoTime() - locked) / 1e6;
        } catch (RuntimeException e) {
            ReversalPhase.rollback(connection);
            throw e;
        } catch (SQLException e) {
            ReversalPhase.rollback(connection);
            if ("55P03".equals(e.getSQLState())) {
                throw new LockTimeoutException("cutover lock not granted: " + e.getMessage(), e);
            }
            throw new StatementFailedException(
                    "The cutover of " + run.source.name() + " failed and was rolled back", current, e);
        } finally {
            ReversalPhase.autocommit(connection);
        }
    }

    /**
     * The wait before a cutover (or undo) attempt: short and growing from 50 ms to 2 s, with jitter. Unlike the
     * executor's retries, whose backoff the engine's settings give, an attempt holds no lock while it waits and gives
     * up after the cutover's own lock timeout, so many short attempts catch the moment a reader lets go.
     */
    static void pauseBeforeAttempt(int attempt, String what) {
        long cap = Math.min(2_000, 50L << Math.min(attempt - 1, 6));
        try {
            Thread.sleep(ThreadLocalRandom.current().nextLong(cap / 2, cap + 1));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AutoPartitionException("Interrupted while waiting to retry " + what, e);
        }
    }

    private static void recordAttempt(MigrationRun run, int attempt, String outcome) {
        try {
            Transactions.run(run.connection, () -> {
                run.ctx.store.add(run.connection, run.row().id(), "cutover_attempts", 1);
                try (var st = run.connection.createStatement()) {
                    st.execute(run.ctx.store.phaseSql(
                            run.row().id(),
                            MigrationPhase.VERIFIED,
                            "cutover attempt " + attempt + " of " + run.spec.cutoverAttempts() + " " + outcome));
                }
                return Boolean.TRUE;
            });
        } catch (SQLException e) {
            throw new StatementFailedException("Cannot record a cutover attempt", "(update)", e);
        }
    }

    private static String blockers(Connection connection, TableName table) {
        String sql = """
                SELECT coalesce(string_agg(format('pid %s (%s, %s, for %s s)', a.pid, l.mode, a.state,
                       round(extract(epoch FROM now() - coalesce(a.xact_start, a.query_start)))), '; '),
                       'no blocking session found now')
                  FROM pg_catalog.pg_locks l JOIN pg_catalog.pg_stat_activity a ON a.pid = l.pid
                 WHERE l.relation = to_regclass(?) AND l.granted AND l.pid <> pg_backend_pid()""";
        try (PreparedStatement ps = connection.prepareStatement(sql)) {
            ps.setString(1, table.quoted());
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return "held by " + rs.getString(1);
            }
        } catch (SQLException e) {
            return "blockers unknown (" + e.getMessage() + ")";
        }
    }

    /** Idempotent work after the cutover: the script's after-cutover stage, then the rule registered. */
    static void after(MigrationContext ctx, Connection connection, MigrationRow row) {
        for (ScriptStatement s : ctx.store.script(connection, row.id(), Stage.AFTER_CUTOVER)) {
            ctx.run(connection, s, "after the cutover of " + row.table());
        }
        ctx.register.accept(SpecJson.read(connection, ctx.store, row.id(), row.table()));
    }
}
