package dev.autopartition.flyway;

import dev.autopartition.Execution;
import dev.autopartition.Plan;
import dev.autopartition.PlannedStatement;
import dev.autopartition.PlannedStep;
import dev.autopartition.StatementFailedException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Supplier;
import org.flywaydb.core.api.FlywayException;

/**
 * Fails fast where Flyway's PostgreSQL <em>transactional</em> advisory lock would make a step wait for Flyway itself.
 *
 * <p>With {@code flyway.postgresql.transactional.lock=true} (the default since Flyway 9.1.2) Flyway takes {@code
 * pg_try_advisory_xact_lock} on its schema-history connection and keeps that transaction open, idle and holding a
 * snapshot, while it runs a migration. A statement that PostgreSQL runs outside a transaction block and that waits for
 * every older transaction to end ({@code ALTER TABLE ... DETACH PARTITION ... FINALIZE}, which the engine runs to
 * finish an interrupted concurrent detach; {@code CREATE INDEX CONCURRENTLY}) then waits for a transaction that ends
 * only after the migration. It cannot finish: it hangs, or with the engine's lock_timeout fails on every retry. With
 * {@code flyway.postgresql.transactional.lock=false} Flyway takes a session-level lock instead, and nothing waits.
 *
 * <p>{@code DETACH PARTITION ... CONCURRENTLY} itself only waits for sessions holding locks on the parent table, which
 * Flyway's idle transaction does not; it is allowed (tested on Flyway 10, 11 and 13).
 *
 * <p>Whether the setting is on cannot be read through Flyway's public API (it lives in a configuration extension of the
 * PostgreSQL module), so the guard looks at the server: the setting is on when another backend of this database holds
 * an advisory lock in Flyway's key space and is inside a transaction.
 */
final class FlywayLockGuard {
    /** Flyway's advisory lock key is this number plus the hash code of the quoted schema-history table name. */
    private static final long FLYWAY_LOCK_MAGIC =
            (0x46L << 40) + (0x6CL << 32) + (0x79L << 24) + (0x77L << 16) + (0x61L << 8) + 0x79L;

    private static final String HOLDER_SQL = """
            SELECT a.pid, coalesce(a.state, '?'), coalesce(a.application_name, '')
              FROM pg_catalog.pg_locks l
              JOIN pg_catalog.pg_stat_activity a ON a.pid = l.pid
             WHERE l.locktype = 'advisory' AND l.granted AND l.objsubid = 1
               AND l.database = (SELECT d.oid FROM pg_catalog.pg_database d
                                  WHERE d.datname = pg_catalog.current_database())
               AND l.pid <> pg_catalog.pg_backend_pid()
               AND ((l.classid::bigint << 32) | l.objid::bigint) BETWEEN ? AND ?
               AND a.xact_start IS NOT NULL
             ORDER BY a.xact_start
             LIMIT 1""";

    private FlywayLockGuard() {}

    /** The backend that holds Flyway's transactional lock, when one does. */
    record Holder(int pid, String state, String applicationName) {}

    static Optional<Holder> transactionalLockHolder(Connection connection) {
        try (PreparedStatement ps = connection.prepareStatement(HOLDER_SQL)) {
            ps.setLong(1, FLYWAY_LOCK_MAGIC + Integer.MIN_VALUE);
            ps.setLong(2, FLYWAY_LOCK_MAGIC + Integer.MAX_VALUE);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next()
                        ? Optional.of(new Holder(rs.getInt(1), rs.getString(2), rs.getString(3)))
                        : Optional.empty();
            }
        } catch (SQLException e) {
            throw new StatementFailedException("Cannot look for Flyway's advisory lock", HOLDER_SQL, e);
        }
    }

    /**
     * The first statement of a plan that runs outside a transaction block and waits for older transactions (anything
     * outside a transaction block except a concurrent detach), if any.
     */
    static Optional<PlannedStatement> waitsForOlderTransactions(Plan plan) {
        for (PlannedStep step : plan.steps()) {
            for (PlannedStatement statement : step.statements()) {
                if (statement.execution() != Execution.IN_TRANSACTION
                        && statement.execution() != Execution.CONCURRENTLY) {
                    return Optional.of(statement);
                }
            }
        }
        return Optional.empty();
    }

    /**
     * Checks what is about to run on an auto-commit connection: looks for Flyway's transactional lock first, and only
     * when it is held plans the work to see whether a statement would wait for it.
     *
     * @param what the migration or callback, for the message
     * @throws FlywayException naming {@code flyway.postgresql.transactional.lock=false} as the fix
     */
    static void check(Connection connection, Supplier<Plan> plan, String what) {
        check(connection, plan, FlywayLockGuard::waitsForOlderTransactions, what, CALLBACK_ALTERNATIVE);
    }

    /**
     * {@link #check(Connection, Supplier, String)} with the statements that wait chosen by {@code waits}, and what
     * else the user can do ({@code ", or ..."}, or empty).
     */
    static void check(
            Connection connection,
            Supplier<Plan> plan,
            Function<Plan, Optional<PlannedStatement>> waits,
            String what,
            String alternative) {
        Optional<Holder> holder = transactionalLockHolder(connection);
        if (holder.isEmpty()) {
            return;
        }
        Optional<PlannedStatement> statement = waits.apply(plan.get());
        if (statement.isPresent()) {
            throw new FlywayException(message(what, statement.get(), holder.get(), alternative));
        }
    }

    /** The alternative for maintenance work: the callback runs after Flyway's transaction has ended. */
    static final String CALLBACK_ALTERNATIVE = ", or leave this work to AutoPartitionCallback, which runs after"
            + " migrate, when Flyway's transaction has ended";

    static String message(String what, PlannedStatement statement, Holder holder) {
        return message(what, statement, holder, CALLBACK_ALTERNATIVE);
    }

    static String message(String what, PlannedStatement statement, Holder holder, String alternative) {
        return what + " must run\n    " + statement.sql() + "\noutside a transaction block, and that statement"
                + " waits until every older transaction has ended. Flyway's PostgreSQL transactional lock is on: its"
                + " schema-history connection (pid " + holder.pid() + ", " + holder.state() + ") keeps a transaction"
                + " open until the migration ends, so the statement would wait for Flyway itself and never finish."
                + " Nothing was changed.\nFix: set flyway.postgresql.transactional.lock=false (in flyway.conf, as"
                + " -Dflyway.postgresql.transactional.lock=false for the Maven plugin, or with the API as"
                + " configuration(Map.of(\"flyway.postgresql.transactional.lock\", \"false\")), which needs"
                + " jackson-databind on Flyway 12 and later)" + alternative + ".";
    }
}
