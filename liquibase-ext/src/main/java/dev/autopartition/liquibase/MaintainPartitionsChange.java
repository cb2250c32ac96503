package dev.autopartition.liquibase;

import dev.autopartition.AutoPartition;
import dev.autopartition.AutoPartitionException;
import dev.autopartition.InvalidSpecException;
import dev.autopartition.MaintenanceReport;
import dev.autopartition.TableName;
import dev.autopartition.TableStatus;
import java.util.List;
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
public class MaintainPartitionsChange extends AbstractPartitionChange {
    private @Nullable String schemaName;
    private @Nullable String tableName;
    private @Nullable String lockTimeout;
    private @Nullable String attempts;
    private @Nullable String batchSize;

    @DatabaseChangeProperty(
            description = "Schema of the table; default: Liquibase's default schema",
            requiredForDatabase = "none",
            supportsDatabase = "postgresql")
    public @Nullable String getSchemaName() {
        return schemaName;
    }

    public void setSchemaName(@Nullable String schemaName) {
        this.schemaName = schemaName;
    }

    @DatabaseChangeProperty(
            description = "Maintain only this table; default: every managed table",
            exampleValue = "events",
            requiredForDatabase = "none",
            supportsDatabase = "postgresql")
    public @Nullable String getTableName() {
        return tableName;
    }

    public void setTableName(@Nullable String tableName) {
        this.tableName = tableName;
    }

    @DatabaseChangeProperty(
            description = "Lock timeout per DDL statement; not part of the checksum",
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
            description = "Tries when locks are not granted in time; not part of the checksum",
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
            description = "Rows per batch when rows move out of a default partition; not part of the checksum",
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

    private @Nullable TableName only(Database database) {
        return tableName == null ? null : tableOf(database, schemaName, tableName);
    }

    @Override
    void checkStatic(Problems problems, Database database) {
        if (tableName != null) {
            table(problems, database, schemaName, tableName, "tableName");
        } else if (schemaName != null) {
            problems.error(
                    "schemaName",
                    schemaName,
                    "needs tableName. Fix: name the table, or remove schemaName to" + " maintain every managed table.");
        }
    }

    @Override
    void checkDatabase(AutoPartition engine, Database database, Problems problems) {
        requireRule(engine, only(database));
    }

    private static void requireRule(AutoPartition engine, @Nullable TableName table) {
        if (table != null && engine.status().stream().map(TableStatus::table).noneMatch(table::equals)) {
            throw new InvalidSpecException(table + " has no auto-partition rule, so there is nothing to maintain."
                    + " Fix: declare it with autoPartition first, or remove tableName to maintain every managed"
                    + " table.");
        }
    }

    @Override
    @Nullable
    String attributeFor(String message) {
        return message.contains("has no auto-partition rule") ? "tableName" : null;
    }

    @Override
    List<String> tablesUsed() {
        return tableName == null ? List.of() : List.of(tableName);
    }

    /** Maintenance of every table waits for every earlier autoPartition change that has not run yet. */
    @Override
    @Nullable
    String deferredBy(Database database) {
        if (tableName != null) {
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
        return tableName == null || table.equalsIgnoreCase(tableName);
    }

    @Override
    String describe(Database database) {
        TableName table = only(database);
        return "maintainPartitions of " + (table == null ? "every managed table" : table.toString());
    }

    @Override
    String willDo(Database database) {
        return "create the partitions that should lie ahead of the clock at that time and apply retention";
    }

    @Override
    String preview(AutoPartition engine, Database database) {
        TableName table = only(database);
        String plan = (table == null ? engine.plan() : engine.plan(table)).toSql();
        return plan.isEmpty() ? comment("Nothing to do at this time.") : plan;
    }

    @Override
    String execute(AutoPartition engine, Database database) {
        TableName table = only(database);
        requireRule(engine, table);
        MaintenanceReport report = table == null ? engine.maintain() : engine.maintain(table);
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
