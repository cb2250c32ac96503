package dev.autopartition.spring.boot;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code autopartition.health.*}: how the health indicator and the metrics read the state of the managed tables.
 * Durations are read in autopartition's one grammar, which takes Spring Boot's forms too (see {@link
 * AutoPartitionMaintenanceProperties}).
 *
 * @param migrationStuckAfter an online migration before its cutover that made no progress for this long is reported
 *     DOWN
 * @param cacheFor how long one read of the catalog serves the health indicator and the metrics; 0 reads every time
 */
@ConfigurationProperties("autopartition.health")
public record AutoPartitionHealthProperties(
        @DefaultValue("15m") @AutoPartitionDuration Duration migrationStuckAfter,
        @DefaultValue("5s") @AutoPartitionDuration Duration cacheFor) {

    public AutoPartitionHealthProperties {
        if (migrationStuckAfter.isNegative() || migrationStuckAfter.isZero()) {
            throw new IllegalArgumentException("autopartition.health.migration-stuck-after must be positive, was "
                    + migrationStuckAfter + ". Fix: set a duration such as 15m.");
        }
        if (cacheFor.isNegative()) {
            throw new IllegalArgumentException("autopartition.health.cache-for must not be negative, was " + cacheFor
                    + ". Fix: set 0s to read every time, or a duration such as 5s.");
        }
    }
}
