package dev.autopartition.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class ConnectionTargetTest {
    private static final Map<String, String> NO_ENV = Map.of();

    @Test
    void buildsTheUrlFromThePgEnvironmentLikePsql() {
        ConnectionTarget target = ConnectionTarget.resolve(
                null,
                null,
                null,
                Map.of(
                        "PGHOST", "db.internal",
                        "PGPORT", "6432",
                        "PGDATABASE", "app db",
                        "PGUSER", "ops",
                        "PGPASSWORD", "secret",
                        "PGSSLMODE", "require"));
        assertThat(target.url()).isEqualTo("jdbc:postgresql://db.internal:6432/app+db?sslmode=require");
        assertThat(target.user()).isEqualTo("ops");
        assertThat(target.password()).isEqualTo("secret");
    }

    @Test
    void defaultsToLocalhostAndTheUserAsDatabase() {
        ConnectionTarget target = ConnectionTarget.resolve(null, "alice", null, NO_ENV);
        assertThat(target.url()).isEqualTo("jdbc:postgresql://localhost:5432/alice");
        assertThat(target.user()).isEqualTo("alice");
        assertThat(target.password()).isNull();
    }

    @Test
    void pairsSeveralHostsWithTheirPorts() {
        ConnectionTarget target = ConnectionTarget.resolve(
                null, "u", null, Map.of("PGHOST", "a,b", "PGPORT", "5432,5433", "PGDATABASE", "d"));
        assertThat(target.url()).isEqualTo("jdbc:postgresql://a:5432,b:5433/d");
    }

    @Test
    void optionsWinOverTheUrlAndTheUrlOverTheEnvironment() {
        Map<String, String> env = Map.of("PGUSER", "env-user", "PGPASSWORD", "env-password");
        assertThat(ConnectionTarget.resolve("jdbc:postgresql://h/d", "opt", "opt-pw", env))
                .extracting(ConnectionTarget::user, ConnectionTarget::password)
                .containsExactly("opt", "opt-pw");
        assertThat(ConnectionTarget.resolve("jdbc:postgresql://h/d?user=url-user&password=pw", null, null, env))
                .as("the URL's own user and password are left to the driver")
                .extracting(ConnectionTarget::user, ConnectionTarget::password)
                .containsExactly(null, null);
        assertThat(ConnectionTarget.resolve("jdbc:postgresql://h/d", null, null, env))
                .extracting(ConnectionTarget::user, ConnectionTarget::password)
                .containsExactly("env-user", "env-password");
    }

    @Test
    void acceptsAPostgresqlUri() {
        ConnectionTarget target = ConnectionTarget.resolve(
                "postgresql://app:p%40ss@db.example.com:5433/shop?sslmode=require", null, null, NO_ENV);
        assertThat(target.url()).isEqualTo("jdbc:postgresql://db.example.com:5433/shop?sslmode=require");
        assertThat(target.user()).isEqualTo("app");
        assertThat(target.password()).isEqualTo("p@ss");
        assertThat(target.display()).doesNotContain("p@ss").doesNotContain("p%40ss");
    }

    @Test
    void neverShowsThePassword() {
        ConnectionTarget target = ConnectionTarget.resolve(
                "jdbc:postgresql://h:5432/d?user=u&password=hunter2&ssl=true", null, "x", NO_ENV);
        assertThat(target.display())
                .isEqualTo("jdbc:postgresql://h:5432/d?user=u&password=***&ssl=true")
                .doesNotContain("hunter2");
        assertThat(target.toString()).doesNotContain("hunter2").doesNotContain("x as");
    }

    @Test
    void refusesOtherUrlsAndUnixSockets() {
        assertThatThrownBy(() -> ConnectionTarget.resolve("mysql://h/d", null, null, NO_ENV))
                .isInstanceOf(CliException.class)
                .hasMessageContaining("jdbc:postgresql://localhost:5432/app");
        assertThatThrownBy(() -> ConnectionTarget.resolve(null, "u", null, Map.of("PGHOST", "/var/run/postgresql")))
                .isInstanceOf(CliException.class)
                .hasMessageContaining("Unix socket")
                .hasMessageContaining("PGHOST");
    }
}
