package dev.autopartition.flyway;

import dev.autopartition.AutoPartition;
import dev.autopartition.AutoPartitionException;
import dev.autopartition.DatabaseMaintenanceStatus;
import dev.autopartition.Execution;
import dev.autopartition.MaintenanceReport;
import dev.autopartition.MigrationPhase;
import dev.autopartition.MigrationStatus;
import dev.autopartition.Operation;
import dev.autopartition.PartitionInfo;
import dev.autopartition.Plan;
import dev.autopartition.PlannedStatement;
import dev.autopartition.PlannedStep;
import dev.autopartition.TableReport;
import java.util.Optional;

/**
 * What is Flyway's own about carrying out a core {@link Operation}: which of its statements would wait for Flyway's
 * open transaction, when a result counts as a failed migration, and the line logged for it.
 */
final class FlywayChanges {

    private FlywayChanges() {}

    /**
     * The first statement of the plan that would wait for Flyway's own open transaction (see {@link
     * FlywayLockGuard}), if any. For a migration only the statements that wait for every older snapshot: {@code CREATE
     * INDEX CONCURRENTLY} (the attach strategy builds widened unique indexes so), {@code REINDEX CONCURRENTLY}, {@code
     * DETACH ... FINALIZE}; its other statements outside a transaction block ({@code ANALYZE}, {@code VALIDATE
     * CONSTRAINT}, {@code DROP INDEX CONCURRENTLY}) and its trigger, attach and cutover lock do not wait for Flyway's
     * idle transaction (tried on a real run). For everything else every statement outside a transaction block except
     * a concurrent detach.
     */
    static Optional<PlannedStatement> waitsForFlyway(Operation<?> operation, Plan plan) {
        if (!(operation instanceof Operation.Migrate)) {
            return FlywayLockGuard.waitsForOlderTransactions(plan);
        }
        for (PlannedStep step : plan.steps()) {
            for (PlannedStatement statement : step.statements()) {
                if (statement.execution() == Execution.CONCURRENTLY_AFTER_OLDER_TRANSACTIONS) {
                    return Optional.of(statement);
                }
            }
        }
        return Optional.empty();
    }

    /**
     * Carries the operation out and says what it did.
     *
     * @throws AutoPartitionException when the result means the migration failed: a rule saved whose first maintenance
     *     failed, maintenance with errors, a migration that stopped short of where it was asked to go
     */
    static String apply(AutoPartition engine, Operation<?> operation) {
        if (operation instanceof Operation.DeclareRule declare) {
            return declared(declare, engine.apply(declare));
        }
        if (operation instanceof Operation.CreatePartition create) {
            PartitionInfo created = engine.apply(create);
            return "created partition " + created.name() + " of " + create.parent() + " " + created.bound();
        }
        if (operation instanceof Operation.DropRule drop) {
            return engine.apply(drop)
                    ? "removed the auto-partition rule of " + drop.table() + "; its partitions stay"
                    : drop.table() + " had no auto-partition rule; nothing to remove";
        }
        if (operation instanceof Operation.DropPartition drop) {
            return "detached and dropped partition " + engine.apply(drop);
        }
        if (operation instanceof Operation.Maintain maintain) {
            MaintenanceReport report = engine.apply(maintain);
            if (report.hasErrors()) {
                throw new AutoPartitionException("Maintenance failed: " + report);
            }
            return report.toString();
        }
        if (operation instanceof Operation.InstallDatabaseMaintenance install) {
            DatabaseMaintenanceStatus status = engine.apply(install);
            return install.cronSchedule() == null
                    ? "in-database maintenance installed: CALL " + status.procedure() + "()"
                    : "in-database maintenance installed and scheduled with pg_cron at '" + install.cronSchedule()
                            + "' (job " + status.cronJobId() + ")";
        }
        if (operation instanceof Operation.UninstallDatabaseMaintenance uninstall) {
            return engine.apply(uninstall)
                    ? "in-database maintenance removed"
                    : "in-database maintenance was not installed";
        }
        if (operation instanceof Operation.Migrate migrate) {
            return migrated(migrate, engine.apply(migrate));
        }
        if (operation instanceof Operation.MigrationStep step && step.step() == Operation.MigrationStep.Step.FINALIZE) {
            Optional<MigrationStatus> before = engine.migrationStatus(step.table());
            if (before.isPresent() && before.get().phase() == MigrationPhase.FINALIZED) {
                return "the migration of " + step.table() + " was already finalized";
            }
            return "finalized the migration of " + step.table() + ": " + engine.apply(step);
        }
        return operation.canonical().lines().findFirst().orElse("") + ": " + engine.apply(operation);
    }

    private static String declared(Operation.DeclareRule declare, TableReport report) {
        if (!report.errors().isEmpty()) {
            throw new AutoPartitionException("The rule of " + declare.spec().table() + " was saved, but its first"
                    + " maintenance failed: " + report);
        }
        return "auto-partition rule of " + declare.spec().table() + " saved ("
                + declare.spec().column() + " by " + declare.spec().increment() + "); " + report;
    }

    private static String migrated(Operation.Migrate migrate, MigrationStatus status) {
        MigrationPhase expected = migrate.spec().cutover() ? MigrationPhase.CUT_OVER : MigrationPhase.VERIFIED;
        boolean done = status.phase() == MigrationPhase.CUT_OVER || status.phase() == MigrationPhase.FINALIZED;
        if (status.phase() != expected && !done) {
            throw new AutoPartitionException(
                    "The migration of " + migrate.spec().table() + " stopped at " + status.phase() + " instead of "
                            + expected + ": " + status);
        }
        return "migrated " + migrate.spec().table() + " to a partitioned table: " + status;
    }
}
