package dev.autopartition.liquibase;

import dev.autopartition.AutoPartition;
import dev.autopartition.AutoPartitionException;
import dev.autopartition.DatabaseMaintenanceStatus;
import dev.autopartition.InvalidSpecException;
import dev.autopartition.Operation;
import liquibase.change.Change;
import liquibase.change.ChangeMetaData;
import liquibase.change.DatabaseChange;
import liquibase.change.DatabaseChangeProperty;
import liquibase.database.Database;
import org.jspecify.annotations.Nullable;

/**
 * Installs (or replaces) in-database maintenance: the procedure {@code autopartition.run_maintenance()}, which does
 * in the database what {@code maintainPartitions} does, with the change's tuning attributes as its defaults. With
 * {@code cronSchedule} it is also registered with pg_cron; validation then fails, naming the fix, when pg_cron is not
 * available in the database.
 *
 * <p>Rollback: {@code uninstallDatabaseMaintenance}.
 */
@DatabaseChange(
        name = "installDatabaseMaintenance",
        description = "Installs the in-database maintenance procedure, optionally scheduled with pg_cron",
        priority = ChangeMetaData.PRIORITY_DEFAULT,
        since = "0.2")
public class InstallDatabaseMaintenanceChange extends AbstractPartitionChange {
    private @Nullable String cronSchedule;
    private @Nullable String lockTimeout;
    private @Nullable String attempts;
    private @Nullable String batchSize;

    @DatabaseChangeProperty(
            description = "A pg_cron schedule such as '*/10 * * * *'; default: install only",
            exampleValue = "*/10 * * * *",
            requiredForDatabase = "none",
            supportsDatabase = "postgresql")
    public @Nullable String getCronSchedule() {
        return cronSchedule;
    }

    public void setCronSchedule(@Nullable String cronSchedule) {
        this.cronSchedule = cronSchedule;
    }

    @DatabaseChangeProperty(
            description = "The procedure's lock timeout per DDL statement; not part of the checksum",
            exampleValue = "500ms",
            requiredForDatabase = "none",
            supportsDatabase = "postgresql")
    public @Nullable String getLockTimeout() {
        return lockTimeout;
    }

    public void setLockTimeout(@Nullable String lockTimeout) {
        this.lockTimeout = lockTimeout;
    }

    @DatabaseChangeProperty(
            description = "The procedure's tries when locks are not granted in time; not part of the checksum",
            exampleValue = "5",
            requiredForDatabase = "none",
            supportsDatabase = "postgresql")
    public @Nullable String getAttempts() {
        return attempts;
    }

    public void setAttempts(@Nullable String attempts) {
        this.attempts = attempts;
    }

    @DatabaseChangeProperty(
            description = "The procedure's rows per batch out of a default partition; not part of the checksum",
            exampleValue = "10000",
            requiredForDatabase = "none",
            supportsDatabase = "postgresql")
    public @Nullable String getBatchSize() {
        return batchSize;
    }

    public void setBatchSize(@Nullable String batchSize) {
        this.batchSize = batchSize;
    }

    @Override
    Tuning tuning() {
        return new Tuning(lockTimeout, attempts, batchSize);
    }

    private @Nullable String schedule() {
        return cronSchedule == null || cronSchedule.isBlank() ? null : cronSchedule.trim();
    }

    @Override
    void checkStatic(Problems problems, Database database) {
        if (cronSchedule != null && cronSchedule.isBlank()) {
            problems.error(
                    "cronSchedule",
                    cronSchedule,
                    "is empty. Fix: write a pg_cron schedule such as '*/10 * * * *', or leave the attribute out to"
                            + " only install the procedure.");
        }
    }

    @Override
    Operation.InstallDatabaseMaintenance operation(Database database) {
        return new Operation.InstallDatabaseMaintenance(schedule());
    }

    /** Without a schedule nothing can be wrong; with one, pg_cron must be available. */
    @Override
    void checkDatabase(AutoPartition engine, Database database, Problems problems) {
        if (schedule() != null) {
            try {
                super.checkDatabase(engine, database, problems);
            } catch (InvalidSpecException e) {
                throw e;
            } catch (AutoPartitionException e) {
                // pg_cron is not available: a problem of this attribute, with the fix in the message
                problems.error("cronSchedule", cronSchedule, String.valueOf(e.getMessage()));
            }
        }
    }

    @Override
    String describe(Database database) {
        String schedule = schedule();
        return "installDatabaseMaintenance" + (schedule == null ? "" : " scheduled with pg_cron at '" + schedule + "'");
    }

    @Override
    String willDo(Database database) {
        return "install the procedure run_maintenance() in the autopartition catalog schema"
                + (schedule() == null ? "" : " and register it with pg_cron");
    }

    @Override
    String execute(AutoPartition engine, Database database) {
        DatabaseMaintenanceStatus status = engine.apply(operation(database));
        String schedule = schedule();
        return schedule == null
                ? "In-database maintenance installed: CALL " + status.procedure() + "()"
                : "In-database maintenance installed and scheduled with pg_cron at '" + schedule + "' (job "
                        + status.cronJobId() + ")";
    }

    @Override
    protected Change[] createInverses() {
        return new Change[] {new UninstallDatabaseMaintenanceChange()};
    }
}
