package dev.autopartition.flyway;

import dev.autopartition.AutoPartition;
import dev.autopartition.Durations;
import dev.autopartition.InvalidSpecException;
import dev.autopartition.SpecField;
import java.sql.Connection;
import java.time.Clock;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.flywaydb.core.api.configuration.Configuration;
import org.jspecify.annotations.Nullable;

/**
 * The settings the Flyway migrations and the callback of autopartition share, validated once.
 *
 * <p>They cannot be {@code flyway.autopartition.*} keys: Flyway rejects configuration keys it does not know ("Unknown
 * configuration property: flyway.autopartition.enabled"; seen with the API's {@code configuration(Map)} and with the
 * Maven plugin, which forwards every {@code -Dflyway.*} system property to Flyway) unless a plugin registers them
 * through Flyway's {@code extensibility} SPI, which is not public API. So they are read from these places; the first that has a key wins:
 *
 * <ol>
 *   <li>Java system properties {@code autopartition.flyway.<key>} (for example {@code
 *       -Dautopartition.flyway.enabled=false} on the Maven command line);
 *   <li>environment variables {@code AUTOPARTITION_FLYWAY_<KEY>} (for example {@code
 *       AUTOPARTITION_FLYWAY_LOCK_TIMEOUT=2s});
 *   <li>Flyway placeholders {@code autopartition.<key>}, which every Flyway front end accepts: {@code
 *       flyway.placeholders.autopartition.enabled=false} in {@code flyway.conf}, {@code [flyway.placeholders]} in {@code
 *       flyway.toml}, {@code <placeholders>} of the Maven plugin, {@code -Dflyway.placeholders.autopartition.now=...},
 *       {@code Flyway.configure().placeholders(...)};
 *   <li>the defaults.
 * </ol>
 *
 * <p>Key names are matched ignoring case, dots, dashes and underscores, so {@code lockTimeout}, {@code lock-timeout}
 * and {@code LOCK_TIMEOUT} are the same key. A key with one of these prefixes that is not a setting is an error.
 *
 * @param enabled whether {@link AutoPartitionCallback} runs maintenance after migrate; default true
 * @param catalogSchema the schema of the engine's catalog; default {@code autopartition}
 * @param lockTimeout how long one statement waits for a lock before it gives up and is retried; default 500 ms, read
 *     in the grammar of every front end ({@link Durations}: {@code 500}, {@code 500ms}, {@code 2s}, {@code PT2S})
 * @param now a fixed instant to use as the current time instead of the system clock (for tests), or null
 * @param failOnError whether maintenance errors fail the Flyway command (after being logged); default true
 */
public record FlywaySettings(
        boolean enabled,
        String catalogSchema,
        Duration lockTimeout,
        @Nullable Instant now,
        boolean failOnError) {

    /** The prefix of the Flyway placeholders that carry these settings. */
    public static final String PLACEHOLDER_PREFIX = "autopartition.";

    /** The prefix of the system properties that carry these settings. */
    public static final String SYSTEM_PROPERTY_PREFIX = "autopartition.flyway.";

    /** The prefix of the environment variables that carry these settings. */
    public static final String ENVIRONMENT_PREFIX = "AUTOPARTITION_FLYWAY_";

    private static final List<String> KEYS = List.of("enabled", "catalogSchema", "lockTimeout", "now", "failOnError");

    public FlywaySettings {
        Objects.requireNonNull(catalogSchema, "catalogSchema");
        Objects.requireNonNull(lockTimeout, "lockTimeout");
        if (catalogSchema.isBlank()) {
            throw new InvalidSpecException("autopartition.catalogSchema is blank. Fix: name a schema, or leave the"
                    + " setting out for the default 'autopartition'.");
        }
        if (lockTimeout.isNegative() || lockTimeout.isZero()) {
            throw new InvalidSpecException(
                    SpecField.LOCK_TIMEOUT,
                    "autopartition.lockTimeout must be positive, was " + lockTimeout
                            + ". Fix: use a few hundred milliseconds, such as 500ms.");
        }
    }

    /** The defaults: enabled, catalog schema {@code autopartition}, lock timeout 500 ms, the system clock. */
    public static FlywaySettings defaults() {
        return new FlywaySettings(true, "autopartition", Duration.ofMillis(500), null, true);
    }

    /**
     * Reads the settings from system properties, the environment and the placeholders of a Flyway configuration.
     *
     * @throws InvalidSpecException naming the key, the bad value and the fix
     */
    public static FlywaySettings from(Configuration configuration) {
        Map<String, String> properties = new LinkedHashMap<>();
        System.getProperties().stringPropertyNames().forEach(name -> properties.put(name, System.getProperty(name)));
        Map<String, String> placeholders = configuration.getPlaceholders();
        return from(placeholders == null ? Map.of() : placeholders, properties, System.getenv());
    }

    /** Reads the settings from the given sources (system properties first, then environment, then placeholders). */
    static FlywaySettings from(
            Map<String, String> placeholders, Map<String, String> systemProperties, Map<String, String> environment) {
        Map<String, Found> found = new LinkedHashMap<>();
        collect(found, placeholders, PLACEHOLDER_PREFIX, "Flyway placeholder ");
        collect(found, environment, ENVIRONMENT_PREFIX, "environment variable ");
        collect(found, systemProperties, SYSTEM_PROPERTY_PREFIX, "system property ");
        FlywaySettings defaults = defaults();
        Found enabled = found.get("enabled");
        Found schema = found.get("catalogschema");
        Found lockTimeout = found.get("locktimeout");
        Found now = found.get("now");
        Found failOnError = found.get("failonerror");
        return new FlywaySettings(
                enabled == null ? defaults.enabled() : bool(enabled),
                schema == null ? defaults.catalogSchema() : schema.value().trim(),
                lockTimeout == null ? defaults.lockTimeout() : duration(lockTimeout),
                now == null || now.value().isBlank() ? null : instant(now),
                failOnError == null ? defaults.failOnError() : bool(failOnError));
    }

    /** A copy with another {@link #enabled()}. */
    public FlywaySettings withEnabled(boolean value) {
        return new FlywaySettings(value, catalogSchema, lockTimeout, now, failOnError);
    }

    /** A copy with another {@link #catalogSchema()}. */
    public FlywaySettings withCatalogSchema(String value) {
        return new FlywaySettings(enabled, value, lockTimeout, now, failOnError);
    }

    /** A copy with another {@link #lockTimeout()}. */
    public FlywaySettings withLockTimeout(Duration value) {
        return new FlywaySettings(enabled, catalogSchema, value, now, failOnError);
    }

    /** A copy with another {@link #now()}. */
    public FlywaySettings withNow(@Nullable Instant value) {
        return new FlywaySettings(enabled, catalogSchema, lockTimeout, value, failOnError);
    }

    /** A copy with another {@link #failOnError()}. */
    public FlywaySettings withFailOnError(boolean value) {
        return new FlywaySettings(enabled, catalogSchema, lockTimeout, now, value);
    }

    /** The clock: fixed at {@link #now()} when it is set, otherwise the system clock. */
    public Clock clock() {
        Instant fixed = now;
        return fixed == null ? Clock.systemUTC() : Clock.fixed(fixed, ZoneOffset.UTC);
    }

    /** An engine that works on the given connection (inside its transaction when auto-commit is off). */
    AutoPartition engine(Connection connection, @Nullable Duration lockTimeoutOverride) {
        return AutoPartition.configure(connection)
                .catalogSchema(catalogSchema)
                .lockTimeout(lockTimeoutOverride == null ? lockTimeout : lockTimeoutOverride)
                .clock(clock())
                .build();
    }

    /** A setting's value and where it came from, for error messages. */
    private record Found(String value, String source) {}

    private static void collect(Map<String, Found> found, Map<String, String> source, String prefix, String kind) {
        // the prefix's words, each followed by one separator: "autopartition.flyway." matches AUTOPARTITION_FLYWAY_
        Pattern pattern = Pattern.compile("(?i)" + prefix.replaceAll("[._-]", "[._-]") + "(.+)");
        source.forEach((name, value) -> {
            if (name == null || value == null) {
                return;
            }
            Matcher m = pattern.matcher(name);
            if (!m.matches()) {
                return;
            }
            String setting = normalize(m.group(1));
            if (KEYS.stream().noneMatch(k -> normalize(k).equals(setting))) {
                throw new InvalidSpecException("Unknown autopartition setting: " + kind + name + ". Fix: use one of "
                        + String.join(", ", KEYS) + " (ignoring case, dots, dashes and underscores).");
            }
            found.put(setting, new Found(value, kind + name));
        });
    }

    private static String normalize(String name) {
        return name.replaceAll("[._-]", "").toLowerCase(Locale.ROOT);
    }

    private static boolean bool(Found found) {
        String v = found.value().trim().toLowerCase(Locale.ROOT);
        if (v.equals("true") || v.equals("false")) {
            return Boolean.parseBoolean(v);
        }
        throw new InvalidSpecException(
                found.source() + " is '" + found.value() + "', not a boolean. Fix: use true or false.");
    }

    /** The one grammar of every front end ({@link Durations#GRAMMAR}); a bare number is milliseconds. */
    private static Duration duration(Found found) {
        try {
            return Durations.parse(found.value());
        } catch (InvalidSpecException e) {
            throw new InvalidSpecException(
                    SpecField.LOCK_TIMEOUT,
                    found.source() + " is '" + found.value() + "', not a duration. Fix: write " + Durations.GRAMMAR
                            + ".");
        }
    }

    private static Instant instant(Found found) {
        String v = found.value().trim();
        try {
            return Instant.parse(v);
        } catch (DateTimeException e) {
            try {
                return OffsetDateTime.parse(v).toInstant();
            } catch (DateTimeException e2) {
                throw new InvalidSpecException(found.source() + " is '" + found.value() + "', not an instant. Fix:"
                        + " write an ISO-8601 instant such as 2024-01-31T12:00:00Z, or leave it out for the system"
                        + " clock.");
            }
        }
    }
}
