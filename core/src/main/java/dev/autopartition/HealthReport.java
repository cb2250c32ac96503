package dev.autopartition;

import java.time.Instant;
import java.util.List;

/**
 * The health of partition maintenance, read from the database and a {@link RunHistory}: every managed table with the
 * numbers a metric exports, every unfinished online migration, and what needs attention.
 *
 * <pre>{@code
 * HealthReport health = ap.health(scheduler.history());
 * if (!health.healthy()) {
 *     health.findings().forEach(f -> log.warn("{}", f));
 * }
 * }</pre>
 *
 * @param checkedAt when the report was read
 */
public record HealthReport(
        Instant checkedAt, List<TableHealth> tables, List<MigrationHealth> migrations, List<HealthFinding> findings) {

    public HealthReport {
        tables = List.copyOf(tables);
        migrations = List.copyOf(migrations);
        findings = List.copyOf(findings);
    }

    /** Whether nothing needs attention. */
    public boolean healthy() {
        return findings.isEmpty();
    }
}
