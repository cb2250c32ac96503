package dev.autopartition.testing;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.time.Duration;

/** PostgreSQL from the zonky binaries on the class path, one per JVM, stopped by a shutdown hook. */
final class EmbeddedServer extends PostgresServer {
    private final EmbeddedPostgres postgres;

    private EmbeddedServer(EmbeddedPostgres postgres) {
        this.postgres = postgres;
    }

    static EmbeddedServer start(int expectedMajor) {
        try {
            EmbeddedPostgres postgres = EmbeddedPostgres.builder()
                    .setPGStartupWait(Duration.ofSeconds(60))
                    .setServerConfig("max_connections", "300")
                    .setServerConfig("max_locks_per_transaction", "1024")
                    .setServerConfig("fsync", "off")
                    .setServerConfig("synchronous_commit", "off")
                    .setServerConfig("full_page_writes", "off")
                    .setServerConfig("timezone", "UTC")
                    .start();
            EmbeddedServer server = new EmbeddedServer(postgres);
            int actual = server.majorVersion();
            if (actual != expectedMajor) {
                postgres.close();
                throw new IllegalStateException("The embedded PostgreSQL on the class path is " + actual
                        + ", but " + MAJOR_PROPERTY + " asks for " + expectedMajor
                        + ": build with ./mvnw -Dpg.major=" + expectedMajor
                        + " so Maven puts the matching binaries on the class path");
            }
            return server;
        } catch (IOException e) {
            throw new IllegalStateException("Cannot start the embedded PostgreSQL: " + e.getMessage(), e);
        }
    }

    @Override
    public String jdbcUrl(String database) {
        return postgres.getJdbcUrl("postgres", database);
    }

    @Override
    public String user() {
        return "postgres";
    }

    @Override
    public String password() {
        return "";
    }

    @Override
    public String toString() {
        return "embedded PostgreSQL on port " + postgres.getPort();
    }
}
