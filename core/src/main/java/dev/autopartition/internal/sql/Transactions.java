package dev.autopartition.internal.sql;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Savepoint;

/**
 * Transactions that respect their caller. On a connection in auto-commit mode a unit of work runs in a transaction
 * of its own and commits; on a connection already inside a transaction (a Liquibase change set, a Flyway migration)
 * it runs inside a savepoint of that transaction and never commits it, so the caller decides.
 */
public final class Transactions {
    private Transactions() {}

    /** A body of JDBC work. */
    @FunctionalInterface
    public interface Work<T> {
        T run() throws SQLException;
    }

    /** During a dry run: whether the caller's own connection was inside a transaction before the dry run began. */
    private static final ThreadLocal<Boolean> DRY_RUN_CALLER_JOINED = new ThreadLocal<>();

    /**
     * Whether work on this connection joins a transaction the caller owns. During a dry run (which wraps everything
     * in a transaction it rolls back) this answers for the caller's connection as it was, so plans show what the real
     * call would do.
     */
    public static boolean joinsCaller(Connection connection) throws SQLException {
        Boolean dryRun = DRY_RUN_CALLER_JOINED.get();
        return dryRun != null ? dryRun : !connection.getAutoCommit();
    }

    /** Runs work as a dry run for a caller whose connection was (or was not) inside a transaction. */
    public static <T> T asDryRun(boolean callerJoined, Work<T> work) throws SQLException {
        Boolean previous = DRY_RUN_CALLER_JOINED.get();
        DRY_RUN_CALLER_JOINED.set(callerJoined);
        try {
            return work.run();
        } finally {
            if (previous == null) {
                DRY_RUN_CALLER_JOINED.remove();
            } else {
                DRY_RUN_CALLER_JOINED.set(previous);
            }
        }
    }

    public static <T> T run(Connection connection, Work<T> work) throws SQLException {
        if (!connection.getAutoCommit()) {
            Savepoint savepoint = connection.setSavepoint();
            try {
                T result = work.run();
                connection.releaseSavepoint(savepoint);
                return result;
            } catch (SQLException | RuntimeException e) {
                connection.rollback(savepoint);
                throw e;
            }
        }
        connection.setAutoCommit(false);
        try {
            T result = work.run();
            connection.commit();
            return result;
        } catch (SQLException | RuntimeException e) {
            connection.rollback();
            throw e;
        } finally {
            connection.setAutoCommit(true);
        }
    }
}
