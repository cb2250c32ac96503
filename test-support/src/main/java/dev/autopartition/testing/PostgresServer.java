package dev.autopartition.testing;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import org.jspecify.annotations.Nullable;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * A PostgreSQL server that tests can create databases on. One server serves the whole JVM; {@link #shared()} picks
 * it once from the system properties and environment described in {@code TESTING.md}:
 *
 * <ul>
 *   <li>{@code AUTOPARTITION_TEST_JDBC_URL} (with {@code AUTOPARTITION_TEST_USER} and {@code
 *       AUTOPARTITION_TEST_PASSWORD}) names an external server;
 *   <li>{@code -Dautopartition.test.pg=testcontainers} starts a container when Docker is present;
 *   <li>{@code -Dautopartition.test.pg=citus} starts a Citus cluster on the system's PostgreSQL 15 ({@link
 *       CitusServer});
 *   <li>otherwise an embedded server runs from the zonky binaries on the class path.
 * </ul>
 */
public abstract class PostgresServer {

    /** System property (or environment variable in upper case with underscores) that picks the kind of server. */
    public static final String KIND_PROPERTY = "autopartition.test.pg";

    /** System property naming the PostgreSQL major version the tests expect, for example {@code 17}. */
    public static final String MAJOR_PROPERTY = "autopartition.test.pg.major";

    /** The major version used when nothing else is asked for. */
    public static final int DEFAULT_MAJOR = 17;

    private static @Nullable PostgresServer shared;
    private static final AtomicInteger DATABASE_COUNTER = new AtomicInteger();

    /** The server for this JVM, started on first use. */
    public static synchronized PostgresServer shared() {
        if (shared == null) {
            shared = start();
        }
        return shared;
    }

    private static PostgresServer start() {
        String url = setting("AUTOPARTITION_TEST_JDBC_URL", "autopartition.test.jdbc.url");
        String kind = setting(KIND_PROPERTY.toUpperCase(Locale.ROOT).replace('.', '_'), KIND_PROPERTY);
        if (url != null && (kind == null || kind.equals("external"))) {
            String user = setting("AUTOPARTITION_TEST_USER", "autopartition.test.user");
            String password = setting("AUTOPARTITION_TEST_PASSWORD", "autopartition.test.password");
            return new ExternalServer(url, user == null ? "postgres" : user, password == null ? "" : password);
        }
        if (kind == null || kind.equals("embedded")) {
            return EmbeddedServer.start(expectedMajor());
        }
        if (kind.equals("testcontainers")) {
            return ContainerServer.start(expectedMajor());
        }
        if (kind.equals("citus")) {
            return CitusServer.shared();
        }
        throw new IllegalStateException("Unknown " + KIND_PROPERTY + " '" + kind
                + "': use embedded (default), testcontainers, citus, or external with AUTOPARTITION_TEST_JDBC_URL set");
    }

    static @Nullable String setting(String environmentName, String propertyName) {
        String value = System.getProperty(propertyName);
        if (value == null || value.isBlank()) {
            value = System.getenv(environmentName);
        }
        return value == null || value.isBlank() ? null : value.trim();
    }

    /** The major version asked for with {@value #MAJOR_PROPERTY}, or {@value #DEFAULT_MAJOR}. */
    public static int expectedMajor() {
        String value = setting("AUTOPARTITION_TEST_PG_MAJOR", MAJOR_PROPERTY);
        return value == null ? DEFAULT_MAJOR : Integer.parseInt(value);
    }

    /** A JDBC URL for the named database on this server. */
    public abstract String jdbcUrl(String database);

    /** The user tests connect as. */
    public abstract String user();

    /** That user's password (empty when none is needed). */
    public abstract String password();

    /** A data source for the named database. */
    public DataSource dataSource(String database) {
        return dataSource(jdbcUrl(database), user(), password());
    }

    static DataSource dataSource(String url, String user, String password) {
        PGSimpleDataSource dataSource = new PGSimpleDataSource();
        dataSource.setUrl(url);
        dataSource.setUser(user);
        dataSource.setPassword(password);
        return dataSource;
    }

    /** The server's major version, read from the server itself. */
    public int majorVersion() {
        try (Connection connection = dataSource(maintenanceDatabase()).getConnection();
                Statement statement = connection.createStatement();
                var rs = statement.executeQuery("SHOW server_version_num")) {
            rs.next();
            return Integer.parseInt(rs.getString(1)) / 10000;
        } catch (SQLException e) {
            throw new IllegalStateException("Cannot read the server version: " + e.getMessage(), e);
        }
    }

    /** The database used to create and drop test databases. */
    protected String maintenanceDatabase() {
        return "postgres";
    }

    /** Creates a new, empty database whose name starts with the prefix. */
    public TestDatabase createDatabase(String prefix) {
        String name = (prefix.replaceAll("[^A-Za-z0-9]", "_") + "_" + DATABASE_COUNTER.incrementAndGet())
                .toLowerCase(Locale.ROOT);
        if (name.length() > 60) {
            name = name.substring(name.length() - 60);
        }
        execute("CREATE DATABASE \"" + name + "\"");
        return new TestDatabase(this, name);
    }

    void dropDatabase(String name) {
        execute("DROP DATABASE IF EXISTS \"" + name + "\" WITH (FORCE)");
    }

    private void execute(String sql) {
        try (Connection connection = dataSource(maintenanceDatabase()).getConnection();
                Statement statement = connection.createStatement()) {
            statement.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException(sql + " failed: " + e.getMessage(), e);
        }
    }
}
