package dev.autopartition.testing;

import java.sql.Connection;
import java.util.function.Supplier;
import javax.sql.DataSource;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Gives a test class a fresh database on a real PostgreSQL and drops it afterwards.
 *
 * <pre>{@code
 * @RegisterExtension
 * static final PostgresExtension pg = new PostgresExtension();
 *
 * @Test
 * void works() {
 *     try (Connection c = pg.connection()) { ... }
 * }
 * }</pre>
 *
 * <p>The server is shared by the whole JVM; see {@link PostgresServer#shared()} for how it is chosen. {@link #citus()}
 * gives the test class a database on a three-node Citus cluster instead.
 */
public final class PostgresExtension implements BeforeAllCallback, AfterAllCallback {
    private final Supplier<@Nullable String> unavailable;
    private final Supplier<PostgresServer> server;
    private @Nullable TestDatabase database;

    /** A database on the JVM's shared server. */
    public PostgresExtension() {
        this(() -> null, PostgresServer::shared);
    }

    private PostgresExtension(Supplier<@Nullable String> unavailable, Supplier<PostgresServer> server) {
        this.unavailable = unavailable;
        this.server = server;
    }

    /**
     * A database on the JVM's Citus cluster (a coordinator and two workers, see {@link CitusServer}); the test class
     * is skipped, with the reason, where PostgreSQL 15 or the Citus files are missing.
     */
    public static PostgresExtension citus() {
        return new PostgresExtension(CitusServer::unavailableReason, CitusServer::shared);
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        String reason = unavailable.get();
        Assumptions.assumeTrue(reason == null, () -> "Skipped: " + reason);
        PostgresServer started;
        try {
            started = server.get();
        } catch (RuntimeException e) {
            String after = unavailable.get();
            Assumptions.assumeTrue(after == null, () -> "Skipped: " + after);
            throw e;
        }
        database = started.createDatabase(context.getRequiredTestClass().getSimpleName());
    }

    @Override
    public void afterAll(ExtensionContext context) {
        if (database != null) {
            database.close();
            database = null;
        }
    }

    /** The database of the running test class. */
    public TestDatabase database() {
        TestDatabase current = database;
        if (current == null) {
            throw new IllegalStateException(
                    "PostgresExtension is not active: register it with @RegisterExtension" + " on a static field");
        }
        return current;
    }

    /** A data source for the test class's database. */
    public DataSource dataSource() {
        return database().dataSource();
    }

    /** A new connection to the test class's database; the caller closes it. */
    public Connection connection() {
        return database().connection();
    }

    /** Runs SQL statements with autocommit. */
    public void execute(String... sql) {
        database().execute(sql);
    }

    /** The Citus cluster the test class's database is on; fails when the extension was not made by {@link #citus()}. */
    public CitusServer citusServer() {
        if (database().server() instanceof CitusServer cluster) {
            return cluster;
        }
        throw new IllegalStateException(
                "This PostgresExtension is not on Citus: make it with PostgresExtension.citus()");
    }

    /** The server's major version. */
    public int majorVersion() {
        return database().server().majorVersion();
    }
}
