package dev.autopartition.flyway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.autopartition.InvalidSpecException;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class FlywaySettingsTest {
    private static FlywaySettings placeholders(Map<String, String> placeholders) {
        return FlywaySettings.from(placeholders, Map.of(), Map.of());
    }

    @Test
    void defaults() {
        FlywaySettings settings = FlywaySettings.from(Map.of(), Map.of(), Map.of());
        assertThat(settings).as("nothing set").isEqualTo(FlywaySettings.defaults());
        assertThat(settings.enabled()).as("enabled").isTrue();
        assertThat(settings.catalogSchema()).as("catalog schema").isEqualTo("autopartition");
        assertThat(settings.lockTimeout()).as("lock timeout").isEqualTo(Duration.ofMillis(500));
        assertThat(settings.now()).as("system clock").isNull();
        assertThat(settings.failOnError()).as("failOnError").isTrue();
    }

    @Test
    void readsEverySettingFromPlaceholders() {
        FlywaySettings settings = placeholders(Map.of(
                "autopartition.enabled", "FALSE",
                "autopartition.catalogSchema", "partitioning",
                "autopartition.lockTimeout", "2s",
                "autopartition.now", "2022-01-10T15:00:00Z",
                "autopartition.failOnError", "false",
                "other", "ignored",
                "autopartitioned_tables", "not ours: no separator after the prefix"));
        assertThat(settings)
                .as("all five")
                .isEqualTo(new FlywaySettings(
                        false, "partitioning", Duration.ofSeconds(2), Instant.parse("2022-01-10T15:00:00Z"), false));
        assertThat(settings.clock().instant()).as("fixed clock").isEqualTo(Instant.parse("2022-01-10T15:00:00Z"));
    }

    @ParameterizedTest
    @CsvSource({
        "autopartition.lockTimeout, 750, PT0.75S",
        "autopartition.lock_timeout, 750ms, PT0.75S",
        "AUTOPARTITION_LOCK-TIMEOUT, 3s, PT3S",
        "autopartition.locktimeout, 1m, PT1M",
        "autopartition.LockTimeout, PT1.5S, PT1.5S",
        "autopartition.lockTimeout, 1h30m, PT1H30M",
        "autopartition.lockTimeout, 2 min, PT2M",
        "autopartition.lockTimeout, 1.5s, PT1.5S"
    })
    void matchesKeysIgnoringCaseAndSeparatorsAndParsesDurations(String key, String value, String expected) {
        assertThat(placeholders(Map.of(key, value)).lockTimeout())
                .as(key + "=" + value)
                .isEqualTo(Duration.parse(expected));
    }

    @Test
    void acceptsAnInstantWithAnOffset() {
        assertThat(placeholders(Map.of("autopartition.now", "2022-01-10T16:00:00+01:00"))
                        .now())
                .as("offset")
                .isEqualTo(Instant.parse("2022-01-10T15:00:00Z"));
    }

    @Test
    void systemPropertiesWinOverTheEnvironmentWhichWinsOverPlaceholders() {
        Map<String, String> placeholders =
                Map.of("autopartition.catalogSchema", "from_placeholder", "autopartition.lockTimeout", "100ms");
        Map<String, String> environment =
                Map.of("AUTOPARTITION_FLYWAY_CATALOG_SCHEMA", "from_env", "AUTOPARTITION_FLYWAY_ENABLED", "false");
        Map<String, String> properties = Map.of("autopartition.flyway.catalogSchema", "from_property");
        FlywaySettings settings = FlywaySettings.from(placeholders, properties, environment);
        assertThat(settings.catalogSchema()).as("system property first").isEqualTo("from_property");
        assertThat(settings.enabled()).as("environment next").isFalse();
        assertThat(settings.lockTimeout()).as("placeholder last").isEqualTo(Duration.ofMillis(100));
        assertThat(FlywaySettings.from(placeholders, Map.of(), environment).catalogSchema())
                .as("environment over placeholder")
                .isEqualTo("from_env");
    }

    @Test
    void ignoresOtherSystemPropertiesAndVariables() {
        FlywaySettings settings = FlywaySettings.from(
                Map.of(),
                Map.of("autopartition.test.pg.major", "17", "flyway.autopartition.enabled", "false"),
                Map.of("AUTOPARTITION_TEST_PG", "embedded", "FLYWAY_AUTOPARTITION_ENABLED", "false"));
        assertThat(settings).as("none of these is ours").isEqualTo(FlywaySettings.defaults());
    }

    @Test
    void namesUnknownKeysAndBadValues() {
        assertThatThrownBy(() -> placeholders(Map.of("autopartition.lockTimout", "1s")))
                .as("typo")
                .isInstanceOf(InvalidSpecException.class)
                .hasMessage(
                        "Unknown autopartition setting: Flyway placeholder autopartition.lockTimout. Fix: use one of"
                                + " enabled, catalogSchema, lockTimeout, now, failOnError (ignoring case, dots, dashes and"
                                + " underscores).");
        assertThatThrownBy(() -> FlywaySettings.from(Map.of(), Map.of(), Map.of("AUTOPARTITION_FLYWAY_ENABLED", "no")))
                .as("boolean")
                .isInstanceOf(InvalidSpecException.class)
                .hasMessage("environment variable AUTOPARTITION_FLYWAY_ENABLED is 'no', not a boolean. Fix: use true or"
                        + " false.");
        assertThatThrownBy(() -> placeholders(Map.of("autopartition.lockTimeout", "soon")))
                .as("duration")
                .hasMessage("Flyway placeholder autopartition.lockTimeout is 'soon', not a duration. Fix: write "
                        + dev.autopartition.Durations.GRAMMAR + ".");
        assertThatThrownBy(
                        () -> FlywaySettings.from(Map.of(), Map.of("autopartition.flyway.now", "tomorrow"), Map.of()))
                .as("instant")
                .hasMessageStartingWith("system property autopartition.flyway.now is 'tomorrow', not an instant.");
        assertThatThrownBy(() -> placeholders(Map.of("autopartition.lockTimeout", "0")))
                .as("zero")
                .hasMessage("autopartition.lockTimeout must be positive, was PT0S. Fix: use a few hundred milliseconds,"
                        + " such as 500ms.");
        assertThatThrownBy(() -> placeholders(Map.of("autopartition.catalogSchema", " ")))
                .as("blank schema")
                .hasMessageStartingWith("autopartition.catalogSchema is blank.");
    }

    @Test
    void withersChangeOneSetting() {
        FlywaySettings settings = FlywaySettings.defaults()
                .withEnabled(false)
                .withCatalogSchema("x")
                .withLockTimeout(Duration.ofSeconds(1))
                .withNow(Instant.EPOCH)
                .withFailOnError(false);
        assertThat(settings)
                .as("all changed")
                .isEqualTo(new FlywaySettings(false, "x", Duration.ofSeconds(1), Instant.EPOCH, false));
    }
}
