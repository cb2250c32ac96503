package dev.autopartition.internal.exec;

import dev.autopartition.HealthFinding;
import dev.autopartition.HealthReport;
import dev.autopartition.LastRun;
import dev.autopartition.MigrationHealth;
import dev.autopartition.MigrationPhase;
import dev.autopartition.MigrationStatus;
import dev.autopartition.RunHistory;
import dev.autopartition.TableHealth;
import dev.autopartition.TableStatus;
import dev.autopartition.internal.migrate.Migrator;
import java.sql.Connection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/** Reads every managed table and unfinished migration, and says what needs attention. */
final class HealthReader {
    private final Settings settings;
    private final StatusReader statusReader;
    private final Migrator migrator;

    HealthReader(Settings settings, StatusReader statusReader, Migrator migrator) {
        this.settings = settings;
        this.statusReader = statusReader;
        this.migrator = migrator;
    }

    HealthReport read(Connection connection, RunHistory history, Duration migrationStuckAfter) {
        List<TableHealth> tables = new ArrayList<>();
        List<HealthFinding> findings = new ArrayList<>();
        for (StatusReader.Observed observed : statusReader.observe(connection)) {
            TableStatus status = observed.status();
            LastRun last = history.lastRun(status.table()).orElse(null);
            tables.add(new TableHealth(
                    status,
                    observed.oldestBound(),
                    observed.newestBound(),
                    last,
                    history.partitionsCreated(status.table()),
                    history.partitionsRemoved(status.table())));
            findings.addAll(findings(status, last));
        }
        LastRun pass = history.lastPass().orElse(null);
        if (pass != null
                && pass.outcome() == LastRun.Outcome.FAILED
                && findings.stream().noneMatch(f -> f.kind() == HealthFinding.Kind.LAST_RUN_FAILED)) {
            findings.add(new HealthFinding(
                    null,
                    HealthFinding.Kind.LAST_RUN_FAILED,
                    "The last maintenance pass (started " + pass.startedAt() + ") failed: " + pass.detail()
                            + ". Fix: see the error; the next pass tries again."));
        }
        List<MigrationHealth> migrations = new ArrayList<>();
        for (Map.Entry<MigrationStatus, Duration> entry :
                migrator.unfinished(connection).entrySet()) {
            MigrationStatus migration = entry.getKey();
            boolean stuck = migration.phase() != MigrationPhase.CUT_OVER
                    && entry.getValue().compareTo(migrationStuckAfter) > 0;
            migrations.add(new MigrationHealth(migration, entry.getValue(), stuck));
            if (stuck) {
                findings.add(new HealthFinding(
                        migration.table(),
                        HealthFinding.Kind.MIGRATION_STUCK,
                        "The online migration of " + migration.table() + " is " + migration.phase()
                                + " and has made no progress for "
                                + entry.getValue().toSeconds()
                                + " s (allowed: " + migrationStuckAfter.toSeconds() + " s); its change log grows"
                                + " meanwhile (backlog " + migration.backlog() + "). Fix: resume it"
                                + " (migrateToPartitioned, or autopartition migrate resume), cut it over, or abort"
                                + " it."));
            } else if (migration.fallingBehind() != null && migration.phase() != MigrationPhase.CUT_OVER) {
                findings.add(new HealthFinding(
                        migration.table(),
                        HealthFinding.Kind.MIGRATION_FALLING_BEHIND,
                        "The catch-up of the online migration of " + migration.table()
                                + " has been falling behind its writers since "
                                + migration.fallingBehind().since()
                                + " (backlog " + migration.backlog() + "): "
                                + migration.fallingBehind().reason()));
            }
        }
        return new HealthReport(settings.clock().instant(), tables, migrations, findings);
    }

    private static List<HealthFinding> findings(TableStatus status, @Nullable LastRun last) {
        List<HealthFinding> findings = new ArrayList<>();
        if (status.advancePartitions() < status.minimumAdvancePartitions()) {
            String ahead = status.advancePartitions() < 0
                    ? "has no partition for the current " + (status.increment().isInterval() ? "time" : "key")
                    : "has " + status.advancePartitions() + " partitions ahead, fewer than its minimum of "
                            + status.minimumAdvancePartitions();
            findings.add(new HealthFinding(
                    status.table(),
                    HealthFinding.Kind.TOO_FEW_ADVANCE_PARTITIONS,
                    status.table() + " " + ahead + " (newest bound " + status.newestBound() + ")."
                            + " Fix: run maintenance, and look at its last run if it does not help"
                            + (status.enabled() ? "" : "; the table's rule is disabled, so maintenance skips it")
                            + "."));
        }
        Long defaultRows = status.defaultRows();
        if (defaultRows != null && defaultRows > 0) {
            findings.add(new HealthFinding(
                    status.table(),
                    HealthFinding.Kind.ROWS_IN_DEFAULT_PARTITION,
                    defaultRows + " rows of " + status.table() + " sit in its default partition. Fix: run"
                            + " maintenance (it moves them into new partitions of their range), or raise"
                            + " maximumAdvancePartitions if they are ahead of the window."));
        }
        if (last != null && last.outcome() == LastRun.Outcome.FAILED) {
            findings.add(new HealthFinding(
                    status.table(),
                    HealthFinding.Kind.LAST_RUN_FAILED,
                    "The last maintenance of " + status.table() + " (started " + last.startedAt() + ") failed: "
                            + last.detail() + ". Fix: see the error; the next run tries again."));
        }
        return findings;
    }
}
