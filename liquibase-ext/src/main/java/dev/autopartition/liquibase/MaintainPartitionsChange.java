package dev.autopartition.liquibase;

import dev.autopartition.AutoPartition;
import dev.autopartition.AutoPartitionException;
import dev.autopartition.InvalidSpecException;
import dev.autopartition.MaintenanceReport;
import dev.autopartition.Operation;
import dev.autopartition.SpecField;
import dev.autopartition.TableName;
import dev.autopartition.TableStatus;
import liquibase.change.Change;
import liquibase.change.ChangeMetaData;
import liquibase.change.DatabaseChange;
import liquibase.change.DatabaseChangeProperty;
import liquibase.database.Database;
import org.jspecify.annotations.Nullable;

/**
 * Runs maintenance now: creates the partitions that should lie ahead of the clock and applies retention, on every
 * managed table or on one. Meant for a change set with {@code runAlways="true"}, so every {@code update} brings the
 * partitions up to date. Fails when maintenance reports an error (set {@code failOnError="false"} on the change set to
 * only log it).
 *
 * <p>Rollback: nothing to undo (a no-op); the partitions belong to the rule, and rolling back the {@code autoPartition}
 * change removes the rule.
 */
@DatabaseChange(
        name = "maintainPartitions",
        description = "Runs partition maintenance now (create ahead, apply retention); use in a runAlways change set",
        priority = ChangeMetaData.PRIORITY_DEFAULT,
        appliesTo = "table",
        since = "0.1")
public class MaintainPartitionsChange extends TunedChange {

    @DatabaseChangeProperty(
            description = "Maintain only this table; default: every managed table",
            exampleValue = "events",
            requiredForDatabase = "none",
            supportsDatabase = "postgresql")
    @Override
    public @Nullable String getTableName() {
        return super.getTableName();
    }

    @Override
    void checkStatic(Problems problems, Database database) {
        if (getTableName() != null) {
            resolve(problems, database, getTableName(), "tableName");
        } else if (getSchemaName() != null) {
            problems.error(
                    "schemaName",
                    getSchemaName(),
                    "needs tableName. Fix: name the table, or remove schemaName to" + " maintain every managed table.");
        }
    }

    @Override
    Operation.Maintain operation(Database database) {
        return new Operation.Maintain(getTableName() == null ? null : table(database));
    }

    @Override
    void checkDatabase(AutoPartition engine, Database database, Problems problems) {
        requireRule(engine, operation(database).table());
    }

    private static void requireRule(AutoPartition engine, @Nullable TableName table) {
        if (table != null && engine.status().stream().map(TableStatus::table).noneMatch(table::equals)) {
            throw new InvalidSpecException(
                    SpecField.TABLE,
                    table + " has no auto-partition rule, so there is nothing to maintain. Fix: declare it with"
                            + " autoPartition first, or remove tableName to maintain every managed table.");
        }
    }

    /** Maintenance of every table waits for every earlier autoPartition change that has not run yet. */
    @Override
    @Nullable
    String deferredBy(Database database) {
        if (getTableName() != null) {
            return super.deferredBy(database);
        }
        for (ChangeLogScan.Earlier earlier : ChangeLogScan.earlierPending(this, database)) {
            if (earlier.change() instanceof AbstractPartitionChange) {
                return ChangeLogScan.describe(earlier);
            }
        }
        return null;
    }

    @Override
    boolean names(String table) {
        return getTableName() == null || super.names(table);
    }

    @Override
    String describe(Database database) {
        TableName table = operation(database).table();
        return "maintainPartitions of " + (table == null ? "every managed table" : table.toString());
    }

    @Override
    String willDo(Database database) {
        return "create the partitions that should lie ahead of the clock at that time and apply retention";
    }

    @Override
    String preview(AutoPartition engine, Database database) {
        String plan = super.preview(engine, database);
        return plan.isEmpty() ? Preview.comment("Nothing to do at this time.") : plan;
    }

    @Override
    String execute(AutoPartition engine, Database database) {
        Operation.Maintain maintain = operation(database);
        requireRule(engine, maintain.table());
        MaintenanceReport report = engine.apply(maintain);
        if (report.hasErrors()) {
            throw new AutoPartitionException("Maintenance failed: " + report + "\nFix: see the errors above; set"
                    + " failOnError=\"false\" on the change set to let the update continue.");
        }
        return "Partition " + report;
    }

    @Override
    protected Change[] createInverses() {
        return new Change[0];
    }
}
