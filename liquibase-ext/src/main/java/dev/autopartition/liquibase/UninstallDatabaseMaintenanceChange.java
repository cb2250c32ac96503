package dev.autopartition.liquibase;

import dev.autopartition.AutoPartition;
import dev.autopartition.Operation;
import liquibase.change.Change;
import liquibase.change.ChangeMetaData;
import liquibase.change.DatabaseChange;
import liquibase.database.Database;

/**
 * Removes in-database maintenance: its pg_cron job and the procedure. The work history stays.
 *
 * <p>Rollback: {@code installDatabaseMaintenance} without a schedule.
 */
@DatabaseChange(
        name = "uninstallDatabaseMaintenance",
        description = "Removes the in-database maintenance procedure and its pg_cron job",
        priority = ChangeMetaData.PRIORITY_DEFAULT,
        since = "0.2")
public class UninstallDatabaseMaintenanceChange extends AbstractPartitionChange {

    @Override
    void checkStatic(Problems problems, Database database) {
        // no attributes
    }

    @Override
    Operation.UninstallDatabaseMaintenance operation(Database database) {
        return new Operation.UninstallDatabaseMaintenance();
    }

    @Override
    void checkDatabase(AutoPartition engine, Database database, Problems problems) {
        // nothing can be wrong: removing what is not installed does nothing
    }

    @Override
    String describe(Database database) {
        return "uninstallDatabaseMaintenance";
    }

    @Override
    String willDo(Database database) {
        return "remove the pg_cron job and the procedure run_maintenance() of the autopartition catalog";
    }

    @Override
    String execute(AutoPartition engine, Database database) {
        return engine.apply(operation(database))
                ? "In-database maintenance removed"
                : "In-database maintenance was not installed; nothing removed";
    }

    @Override
    protected Change[] createInverses() {
        return new Change[] {new InstallDatabaseMaintenanceChange()};
    }
}
