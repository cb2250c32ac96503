package dev.autopartition.liquibase;

import dev.autopartition.AutoPartition;
import dev.autopartition.InvalidSpecException;
import dev.autopartition.Plan;
import dev.autopartition.TableName;
import java.util.List;
import liquibase.change.ChangeMetaData;
import liquibase.change.DatabaseChange;
import liquibase.change.DatabaseChangeProperty;
import liquibase.database.Database;
import org.jspecify.annotations.Nullable;

/**
 * Removes one partition: detaches it (concurrently where PostgreSQL allows it, which needs {@code
 * runInTransaction="false"} on the change set), then drops it with its rows.
 *
 * <p>Rollback: none; the rows are gone. Write a {@code <rollback>} with {@code createPartition} to get an empty
 * partition back.
 */
@DatabaseChange(
        name = "dropPartition",
        description = "Detaches one partition and drops it",
        priority = ChangeMetaData.PRIORITY_DEFAULT,
        appliesTo = "table",
        since = "0.1")
public class DropPartitionChange extends AbstractPartitionChange {
    private @Nullable String schemaName;
    private @Nullable String tableName;
    private @Nullable String partitionName;
    private @Nullable String lockTimeout;
    private @Nullable String attempts;

    @DatabaseChangeProperty(
            description = "Schema of the partition; default: Liquibase's default schema",
            requiredForDatabase = "none",
            supportsDatabase = "postgresql")
    public @Nullable String getSchemaName() {
        return schemaName;
    }

    public void setSchemaName(@Nullable String schemaName) {
        this.schemaName = schemaName;
    }

    @DatabaseChangeProperty(
            description = "The partitioned table the partition must belong to (a safety check); optional",
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
            description = "The partition to detach and drop",
            exampleValue = "events_p20220101",
            requiredForDatabase = "postgresql",
            supportsDatabase = "postgresql")
    public @Nullable String getPartitionName() {
        return partitionName;
    }

    public void setPartitionName(@Nullable String partitionName) {
        this.partitionName = partitionName;
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

    @Override
    Tuning tuning() {
        return new Tuning(lockTimeout, attempts, null);
    }

    @Override
    void checkStatic(Problems problems, Database database) {
        problems.require("partitionName", partitionName, "name the partition to drop.");
        table(problems, database, schemaName, partitionName, "partitionName");
        if (tableName != null) {
            table(problems, database, schemaName, tableName, "tableName");
        }
    }

    @Override
    void checkDatabase(AutoPartition engine, Database database, Problems problems) {
        checkParent(engine.planDropPartition(partition(database)), database);
    }

    private TableName partition(Database database) {
        return tableOf(database, schemaName, partitionName);
    }

    /** With tableName given: the partition must belong to that table. */
    private void checkParent(Plan plan, Database database) {
        if (tableName == null || plan.steps().isEmpty()) {
            return;
        }
        TableName expected = tableOf(database, schemaName, tableName);
        TableName parent = plan.steps().get(0).table();
        if (!parent.equals(expected)) {
            throw new InvalidSpecException(partition(database) + " is a partition of " + parent + ", not of " + expected
                    + ". Fix: name the right partition, or correct tableName.");
        }
    }

    @Override
    @Nullable
    String attributeFor(String message) {
        if (message.contains("is not a partition of any table")) {
            return "partitionName";
        }
        if (message.contains("is a partition of")) {
            return "tableName";
        }
        return null;
    }

    @Override
    List<String> tablesUsed() {
        return partitionName == null ? List.of() : List.of(partitionName);
    }

    @Override
    boolean names(String table) {
        return table.equalsIgnoreCase(String.valueOf(partitionName))
                || table.equalsIgnoreCase(String.valueOf(tableName));
    }

    @Override
    String describe(Database database) {
        return "dropPartition " + partition(database);
    }

    @Override
    String willDo(Database database) {
        return "detach " + partition(database) + " (concurrently when the change set runs outside a transaction on"
                + " PostgreSQL 14+ and the table has no default partition) and drop it";
    }

    @Override
    String preview(AutoPartition engine, Database database) {
        Plan plan = engine.planDropPartition(partition(database));
        checkParent(plan, database);
        return plan.toSql();
    }

    @Override
    String execute(AutoPartition engine, Database database) {
        TableName partition = partition(database);
        checkParent(engine.planDropPartition(partition), database);
        engine.dropPartition(partition);
        return "Partition " + partition + " detached and dropped";
    }

    @Override
    @Nullable
    String rollbackImpossible() {
        return "dropPartition cannot be rolled back automatically: the partition and its rows are gone. Fix: write"
                + " a <rollback> block, for example a createPartition with the same bounds (the rows do not come"
                + " back).";
    }
}
