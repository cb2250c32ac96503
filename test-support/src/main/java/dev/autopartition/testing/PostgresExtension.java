package dev.autopartition.testing;

import java.sql.Connection;
import javax.sql.DataSource;
import org.jspecify.annotations.Nullable;
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
 * <p>The server is shared by the whole JVM; see {@link PostgresServer#shared()} for how it is chosen.
 */
public final class PostgresExtension implements BeforeAllCallback, AfterAllCallback {
    private @Nullable TestDatabase database;

    @Override
    public void beforeAll(ExtensionContext context) {
        database = PostgresServer.shared()
                .createDatabase(context.getRequiredTestClass().getSimpleName());
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

    /** The server's major version. */
    public int majorVersion() {
        return database().server().majorVersion();
    }
}
