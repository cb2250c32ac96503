package dev.autopartition.testing;

import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.PostgreSQLContainer;
import org.testcontainers.utility.DockerImageName;

/**
 * PostgreSQL in a Docker container, started only when asked for. Testcontainers is an optional dependency: add it
 * with the {@code testcontainers} Maven profile.
 */
final class ContainerServer extends PostgresServer {
    private final PostgreSQLContainer<?> container;

    private ContainerServer(PostgreSQLContainer<?> container) {
        this.container = container;
    }

    static ContainerServer start(int major) {
        try {
            Class.forName("org.testcontainers.DockerClientFactory");
        } catch (ClassNotFoundException e) {
            throw new IllegalStateException(
                    "autopartition.test.pg=testcontainers needs Testcontainers on the test class path:"
                            + " run ./mvnw verify -Ptestcontainers",
                    e);
        }
        if (!DockerClientFactory.instance().isDockerAvailable()) {
            throw new IllegalStateException("autopartition.test.pg=testcontainers needs a running Docker engine;"
                    + " none was found. Use the embedded server (the default) instead.");
        }
        PostgreSQLContainer<?> container = new PostgreSQLContainer<>(DockerImageName.parse("postgres:" + major))
                .withCommand("postgres", "-c", "max_connections=300", "-c", "fsync=off");
        container.start();
        Runtime.getRuntime().addShutdownHook(new Thread(container::stop));
        return new ContainerServer(container);
    }

    @Override
    public String jdbcUrl(String database) {
        return "jdbc:postgresql://" + container.getHost() + ":" + container.getFirstMappedPort() + "/" + database;
    }

    @Override
    public String user() {
        return container.getUsername();
    }

    @Override
    public String password() {
        return container.getPassword();
    }

    @Override
    public String toString() {
        return "PostgreSQL container " + container.getDockerImageName();
    }
}
