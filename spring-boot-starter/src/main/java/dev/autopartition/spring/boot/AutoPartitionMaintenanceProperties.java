package dev.autopartition.spring.boot;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code autopartition.maintenance.*}: how the application keeps its partitions current.
 *
 * <p>Durations are read in autopartition's one grammar ({@code 500} for milliseconds, {@code 500ms}, {@code 10s},
 * {@code 1h30m}, {@code 2 min}, ISO-8601 {@code PT10M}), which takes Spring Boot's forms too.
 *
 * @param enabled whether this application runs maintenance: one pass at start-up, once the migrations have run, then
 *     one every interval; every instance may, tables are worked on under advisory locks
 * @param interval the time between two passes
 * @param jitter up to this much is added at random to each wait, so that instances do not all start at once
 * @param schema the schema of the engine's catalog (the rules and their partitions); the same one the Liquibase
 *     changes or Flyway migrations declared the rules in
 * @param lockTimeout how long one DDL statement waits for its lock before it gives up and is retried
 */
@ConfigurationProperties("autopartition.maintenance")
public record AutoPartitionMaintenanceProperties(
        @DefaultValue("true") boolean enabled,
        @DefaultValue("10m") @AutoPartitionDuration Duration interval,
        @DefaultValue("1m") @AutoPartitionDuration Duration jitter,
        @DefaultValue("autopartition") String schema,
        @DefaultValue("500ms") @AutoPartitionDuration Duration lockTimeout) {

    public AutoPartitionMaintenanceProperties {
        if (interval.isNegative() || interval.isZero()) {
            throw new IllegalArgumentException("autopartition.maintenance.interval must be positive, was " + interval
                    + ". Fix: set a duration such as 10m.");
        }
        if (jitter.isNegative()) {
            throw new IllegalArgumentException("autopartition.maintenance.jitter must not be negative, was " + jitter
                    + ". Fix: set 0s for none, or a duration such as 1m.");
        }
        if (lockTimeout.isNegative() || lockTimeout.isZero()) {
            throw new IllegalArgumentException("autopartition.maintenance.lock-timeout must be positive, was "
                    + lockTimeout + ". Fix: set a few hundred milliseconds, such as 500ms.");
        }
        if (schema.isBlank()) {
            throw new IllegalArgumentException("autopartition.maintenance.schema must name a schema, was '" + schema
                    + "'. Fix: leave it out for the default, autopartition.");
        }
    }
}
