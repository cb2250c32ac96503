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

    /** Whether work on this connection joins a transaction the caller owns. */
    public static boolean joinsCaller(Connection connection) throws SQLException {
        return !connection.getAutoCommit();
    }

    public static <T> T run(Connection connection, Work<T> work) throws SQLException {
        if (joinsCaller(connection)) {
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
