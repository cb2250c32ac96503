package dev.autopartition.testing;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import javax.sql.DataSource;

/** A database created for one test class and dropped after it. */
public final class TestDatabase implements AutoCloseable {
    private final PostgresServer server;
    private final String name;
    private final DataSource dataSource;

    TestDatabase(PostgresServer server, String name) {
        this.server = server;
        this.name = name;
        this.dataSource = server.dataSource(name);
    }

    /** The database name. */
    public String name() {
        return name;
    }

    /** A JDBC URL for this database (without credentials). */
    public String jdbcUrl() {
        return server.jdbcUrl(name);
    }

    /** The user to connect as. */
    public String user() {
        return server.user();
    }

    /** The password for {@link #user()}. */
    public String password() {
        return server.password();
    }

    /** A data source that opens a new connection on each call. */
    public DataSource dataSource() {
        return dataSource;
    }

    /** A new connection; the caller closes it. */
    public Connection connection() {
        try {
            return dataSource.getConnection();
        } catch (SQLException e) {
            throw new IllegalStateException("Cannot connect to test database " + name + ": " + e.getMessage(), e);
        }
    }

    /** Runs SQL statements on a new connection with autocommit. */
    public void execute(String... sql) {
        try (Connection connection = connection();
                Statement statement = connection.createStatement()) {
            for (String s : sql) {
                statement.execute(s);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("SQL failed: " + e.getMessage(), e);
        }
    }

    /** The server this database lives on. */
    public PostgresServer server() {
        return server;
    }

    @Override
    public void close() {
        server.dropDatabase(name);
    }
}
