package dev.autopartition.internal.run;

import dev.autopartition.AutoPartitionException;
import dev.autopartition.LockTimeoutException;
import dev.autopartition.StatementFailedException;
import dev.autopartition.internal.plan.Statement;
import dev.autopartition.internal.plan.Unit;
import dev.autopartition.internal.sql.Sql;
import dev.autopartition.internal.sql.Transactions;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs units of statements. Every transactional unit starts with {@code SET LOCAL lock_timeout}, so a statement that
 * cannot get its lock gives up quickly instead of queueing (a waiting ACCESS EXCLUSIVE request would stall every
 * later reader of the table); the whole unit is then rolled back and retried with exponential backoff and full
 * jitter, up to the retry budget.
 */
public final class Executor {
    private static final Logger LOG = LoggerFactory.getLogger(Executor.class);
    private static final String LOCK_NOT_AVAILABLE = "55P03";
    private static final String DEADLOCK = "40P01";
    private static final String SERIALIZATION = "40001";

    /*
     * On Citus, a SET LOCAL reaches only the coordinator unless citus.propagate_set_commands is 'local': DDL on a
     * distributed table would then wait without limit for its locks on the workers' shards, and a queued ACCESS
     * EXCLUSIVE request there stalls every later query on the shard. Without Citus the setting does not exist and this
     * does nothing (it creates no placeholder either).
     */
    static final String PROPAGATE_TO_CITUS_WORKERS = """
            SELECT pg_catalog.set_config('citus.propagate_set_commands', 'local', true)
             WHERE pg_catalog.current_setting('citus.propagate_set_commands', true) IS NOT NULL
            """;

    private final Duration lockTimeout;
    private final int attempts;
    private final Duration backoff;
    private final Duration maxBackoff;

    public Executor(Duration lockTimeout, int attempts, Duration backoff, Duration maxBackoff) {
        this.lockTimeout = lockTimeout;
        this.attempts = attempts;
        this.backoff = backoff;
        this.maxBackoff = maxBackoff;
    }

    /**
     * Runs the units in order, each committing on its own.
     *
     * @return the rows moved by batch statements
     * @throws LockTimeoutException when a unit never got its locks within the retry budget
     * @throws StatementFailedException when a statement failed for another reason
     */
    public long run(Connection connection, List<Unit> units, String what) {
        long moved = 0;
        for (Unit unit : units) {
            moved += unit.transactional() ? transaction(connection, unit, what) : autocommit(connection, unit, what);
        }
        return moved;
    }

    private long transaction(Connection connection, Unit unit, String what) {
        for (int attempt = 1; ; attempt++) {
            String[] current = {"BEGIN"};
            try {
                return Transactions.run(connection, () -> {
                    try (java.sql.Statement st = connection.createStatement()) {
                        String previous = Transactions.joinsCaller(connection) ? show(st) : null;
                        String previousPropagation = previous == null ? null : propagation(st);
                        current[0] = PROPAGATE_TO_CITUS_WORKERS;
                        st.execute(current[0]);
                        current[0] = "SET LOCAL lock_timeout = '" + lockTimeout.toMillis() + "ms'";
                        st.execute(current[0]);
                        long moved = 0;
                        for (Statement statement : unit.statements()) {
                            current[0] = statement.sql();
                            moved += execute(st, statement);
                        }
                        if (previous != null) {
                            // inside the caller's transaction: leave its lock_timeout (and Citus setting) as it was
                            st.execute("SET LOCAL lock_timeout = " + Sql.literal(previous));
                            if (previousPropagation != null) {
                                st.execute(
                                        "SET LOCAL citus.propagate_set_commands = " + Sql.literal(previousPropagation));
                            }
                        }
                        return moved;
                    }
                });
            } catch (SQLException e) {
                if (!retry(e, attempt, what, current[0])) {
                    throw failure(e, what, current[0]);
                }
            }
        }
    }

    /** The Citus setting's value, or null without Citus. */
    private static @Nullable String propagation(java.sql.Statement st) throws SQLException {
        try (ResultSet rs =
                st.executeQuery("SELECT pg_catalog.current_setting('citus.propagate_set_commands', true)")) {
            rs.next();
            return rs.getString(1);
        }
    }

    private static String show(java.sql.Statement st) throws SQLException {
        try (ResultSet rs = st.executeQuery("SHOW lock_timeout")) {
            rs.next();
            return rs.getString(1);
        }
    }

    private static long execute(java.sql.Statement st, Statement statement) throws SQLException {
        LOG.debug("{}", statement.sql());
        if (statement.kind() != Statement.Kind.BATCH) {
            st.execute(statement.sql());
            return 0;
        }
        long total = 0;
        int count;
        do {
            count = st.executeUpdate(statement.sql());
            total += count;
        } while (count > 0);
        return total;
    }

    private long autocommit(Connection connection, Unit unit, String what) {
        for (Statement statement : unit.statements()) {
            String sql = statement.sql();
            for (int attempt = 1; ; attempt++) {
                try {
                    if (Transactions.joinsCaller(connection)) {
                        throw new AutoPartitionException(what + " must run outside a transaction block. Fix: run it"
                                + " on a connection in auto-commit mode (Liquibase: runInTransaction=\"false\").");
                    }
                    runWithSessionTimeout(connection, sql);
                    break;
                } catch (SQLException e) {
                    if (!retry(e, attempt, what, sql)) {
                        throw failure(e, what, sql);
                    }
                    if (statement.resumeSql() != null && pending(connection, statement.pendingSql())) {
                        sql = statement.resumeSql();
                    }
                }
            }
        }
        return 0;
    }

    private void runWithSessionTimeout(Connection connection, String sql) throws SQLException {
        try (java.sql.Statement st = connection.createStatement()) {
            String previous = show(st);
            st.execute("SET lock_timeout = '" + lockTimeout.toMillis() + "ms'");
            try {
                LOG.debug("{}", sql);
                st.execute(sql);
            } finally {
                st.execute("SET lock_timeout = " + Sql.literal(previous));
            }
        }
    }

    private static boolean pending(Connection connection, @Nullable String pendingSql) {
        if (pendingSql == null) {
            return false;
        }
        try (java.sql.Statement st = connection.createStatement();
                ResultSet rs = st.executeQuery(pendingSql)) {
            return rs.next() && rs.getBoolean(1);
        } catch (SQLException e) {
            throw new StatementFailedException("Cannot check for a pending detach", pendingSql, e);
        }
    }

    private boolean retry(SQLException e, int attempt, String what, String statement) {
        String state = e.getSQLState();
        boolean retryable = LOCK_NOT_AVAILABLE.equals(state) || DEADLOCK.equals(state) || SERIALIZATION.equals(state);
        if (!retryable || attempt >= attempts) {
            return false;
        }
        long sleep = delay(attempt);
        LOG.info(
                "{}: {} (try {} of {}), retrying in {} ms: {}",
                what,
                e.getMessage(),
                attempt,
                attempts,
                sleep,
                statement);
        try {
            Thread.sleep(sleep);
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
            return false;
        }
        return true;
    }

    /** The wait before try {@code attempt + 1}: doubling from the first backoff up to its maximum, with jitter. */
    private long delay(int attempt) {
        long cap = Math.min(maxBackoff.toMillis(), backoff.toMillis() * (1L << Math.min(attempt - 1, 20)));
        return ThreadLocalRandom.current().nextLong(cap / 2, cap + 1);
    }

    private AutoPartitionException failure(SQLException e, String what, String statement) {
        if (LOCK_NOT_AVAILABLE.equals(e.getSQLState())) {
            return new LockTimeoutException(
                    what + ": could not get a lock within " + lockTimeout.toMillis() + " ms on"
                            + " any of " + attempts
                            + " tries; another session holds a conflicting lock (look at pg_locks and"
                            + " long-running transactions). Nothing was changed by this step; it runs again on the next"
                            + " maintenance.\n  statement: " + statement,
                    e);
        }
        return new StatementFailedException(what, statement, e);
    }
}
