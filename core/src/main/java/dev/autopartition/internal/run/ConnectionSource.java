package dev.autopartition.internal.run;

import java.sql.Connection;
import java.sql.SQLException;
import javax.sql.DataSource;

/** Where the engine gets its connections: a data source (a new connection per call), or one given connection. */
public interface ConnectionSource {
    Connection open() throws SQLException;

    void release(Connection connection) throws SQLException;

    /** Whether every open() returns the same connection, so work cannot spread over several. */
    default boolean shared() {
        return false;
    }

    static ConnectionSource of(DataSource dataSource) {
        return new ConnectionSource() {
            @Override
            public Connection open() throws SQLException {
                Connection connection = dataSource.getConnection();
                // Pools may hand out connections with auto-commit off; the engine commits its own steps.
                connection.setAutoCommit(true);
                return connection;
            }

            @Override
            public void release(Connection connection) throws SQLException {
                connection.close();
            }
        };
    }

    /**
     * Uses one connection that the caller owns and closes. When the connection is inside a transaction (auto-commit
     * off) the engine works inside that transaction and never commits it.
     */
    static ConnectionSource of(Connection connection) {
        return new ConnectionSource() {
            @Override
            public Connection open() {
                return connection;
            }

            @Override
            public void release(Connection c) {
                // the caller owns it
            }

            @Override
            public boolean shared() {
                return true;
            }
        };
    }
}
