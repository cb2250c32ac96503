package dev.autopartition.liquibase;

import dev.autopartition.AutoPartition;
import dev.autopartition.InvalidSpecException;
import dev.autopartition.Operation;
import dev.autopartition.Plan;
import dev.autopartition.SpecField;
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
public class DropPartitionChange extends TunedChange {
    private @Nullable String partitionName;

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
            description = "The partitioned table the partition must belong to (a safety check); optional",
            exampleValue = "events",
            requiredForDatabase = "none",
            supportsDatabase = "postgresql")
    @Override
    public @Nullable String getTableName() {
        return super.getTableName();
    }

    /** Not an attribute of dropPartition: a detach moves no rows. */
    @Override
    @DatabaseChangeProperty(isChangeProperty = false)
    public @Nullable String getBatchSize() {
        return super.getBatchSize();
    }

    @Override
    void checkStatic(Problems problems, Database database) {
        problems.require("partitionName", partitionName, "name the partition to drop.");
        resolve(problems, database, partitionName, "partitionName");
        resolve(problems, database, getTableName(), "tableName");
    }

    @Override
    Operation.DropPartition operation(Database database) {
        return new Operation.DropPartition(tableIn(database, partitionName));
    }

    @Override
    void checkDatabase(AutoPartition engine, Database database, Problems problems) {
        preview(engine, database);
    }

    /** The plan, once the partition is known to belong to {@code tableName} when that is given. */
    @Override
    String preview(AutoPartition engine, Database database) {
        Plan plan = engine.plan(operation(database));
        String tableName = getTableName();
        if (tableName != null && !plan.steps().isEmpty()) {
            TableName expected = table(database);
            TableName parent = plan.steps().get(0).table();
            if (!parent.equals(expected)) {
                throw new InvalidSpecException(
                        SpecField.TABLE,
                        operation(database).partition() + " is a partition of " + parent + ", not of " + expected
                                + ". Fix: name the right partition, or correct tableName.");
            }
        }
        return plan.toSql();
    }

    @Override
    List<String> tablesUsed() {
        return partitionName == null ? List.of() : List.of(partitionName);
    }

    @Override
    boolean names(String table) {
        return table.equalsIgnoreCase(String.valueOf(partitionName)) || super.names(table);
    }

    @Override
    String describe(Database database) {
        return "dropPartition " + operation(database).partition();
    }

    @Override
    String willDo(Database database) {
        return "detach " + operation(database).partition() + " (concurrently when the change set runs outside a"
                + " transaction on PostgreSQL 14+ and the table has no default partition) and drop it";
    }

    @Override
    String execute(AutoPartition engine, Database database) {
        preview(engine, database);
        return "Partition " + engine.apply(operation(database)) + " detached and dropped";
    }

    @Override
    @Nullable
    String rollbackImpossible() {
        return "dropPartition cannot be rolled back automatically: the partition and its rows are gone. Fix: write"
                + " a <rollback> block, for example a createPartition with the same bounds (the rows do not come"
                + " back).";
    }
}
