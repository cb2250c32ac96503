package dev.autopartition.samples.common;

import dev.autopartition.testing.PostgresServer;
import dev.autopartition.testing.TestDatabase;
import javax.sql.DataSource;
import org.jspecify.annotations.Nullable;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * The database a sample runs on: a new database on an embedded PostgreSQL by default, or the server named by {@code
 * -Dautopartition.demo.url=jdbc:postgresql://host/db} with {@code -Dautopartition.demo.user} and {@code
 * -Dautopartition.demo.password}.
 *
 * @param url the JDBC URL
 * @param user the user to connect as
 * @param password that user's password
 * @param description what it is, for the output
 */
public record SampleDatabase(
        String url,
        String user,
        String password,
        String description,
        DataSource dataSource,
        @Nullable TestDatabase embedded)
        implements AutoCloseable {

    /** The system property naming an existing server. */
    public static final String URL_PROPERTY = "autopartition.demo.url";

    /** The server from {@value #URL_PROPERTY}, or a new database on an embedded PostgreSQL. */
    public static SampleDatabase open(String name) {
        String url = System.getProperty(URL_PROPERTY);
        if (url != null && !url.isBlank()) {
            String user = System.getProperty("autopartition.demo.user", "postgres");
            String password = System.getProperty("autopartition.demo.password", "");
            PGSimpleDataSource dataSource = new PGSimpleDataSource();
            dataSource.setUrl(url);
            dataSource.setUser(user);
            dataSource.setPassword(password);
            return new SampleDatabase(
                    url, user, password, "PostgreSQL at " + url.replaceAll("\\?.*", ""), dataSource, null);
        }
        TestDatabase database = PostgresServer.shared().createDatabase(name);
        return of(database, "an embedded PostgreSQL " + database.server().majorVersion());
    }

    /** A database the caller created (and drops), such as a test's. */
    public static SampleDatabase of(TestDatabase database, String description) {
        return new SampleDatabase(
                database.jdbcUrl(), database.user(), database.password(), description, database.dataSource(), database);
    }

    /** Drops the database when it is an embedded one this class created; an existing server is left as it is. */
    @Override
    public void close() {
        if (embedded != null) {
            embedded.close();
        }
    }
}
