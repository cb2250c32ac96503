package dev.autopartition.spring.boot;

import dev.autopartition.HealthReport;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.HealthIndicator;

/**
 * Spring Boot 3's health indicator (the same as Boot 4's): DOWN, with the findings in the details, when a managed table has fewer partitions
 * ahead than its minimum, rows in its default partition, a failed last run, or an online migration is stuck.
 */
final class AutoPartitionLegacyHealthIndicator implements HealthIndicator {
    private final HealthReads reads;

    AutoPartitionLegacyHealthIndicator(HealthReads reads) {
        this.reads = reads;
    }

    @Override
    public Health health() {
        HealthReport report;
        try {
            report = reads.current();
        } catch (RuntimeException e) {
            return Health.down()
                    .withDetail("error", String.valueOf(e.getMessage()))
                    .build();
        }
        return (report.healthy() ? Health.up() : Health.down())
                .withDetails(HealthDetails.of(report))
                .build();
    }
}
