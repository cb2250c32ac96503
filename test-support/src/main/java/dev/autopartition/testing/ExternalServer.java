package dev.autopartition.testing;

import java.net.URI;

/** A server somebody else runs, named by AUTOPARTITION_TEST_JDBC_URL; each test class gets its own database. */
final class ExternalServer extends PostgresServer {
    private final String baseUrl;
    private final String maintenanceDatabase;
    private final String query;
    private final String user;
    private final String password;

    ExternalServer(String url, String user, String password) {
        if (!url.startsWith("jdbc:postgresql://")) {
            throw new IllegalArgumentException(
                    "AUTOPARTITION_TEST_JDBC_URL must look like jdbc:postgresql://host:port/database");
        }
        URI uri = URI.create(url.substring("jdbc:".length()));
        String path = uri.getPath() == null || uri.getPath().length() <= 1 ? "/postgres" : uri.getPath();
        this.baseUrl = "jdbc:postgresql://" + uri.getRawAuthority() + "/";
        this.maintenanceDatabase = path.substring(1);
        this.query = uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery();
        this.user = user;
        this.password = password;
    }

    @Override
    public String jdbcUrl(String database) {
        return baseUrl + database + query;
    }

    @Override
    protected String maintenanceDatabase() {
        return maintenanceDatabase;
    }

    @Override
    public String user() {
        return user;
    }

    @Override
    public String password() {
        return password;
    }

    @Override
    public String toString() {
        return "external PostgreSQL at " + baseUrl;
    }
}
