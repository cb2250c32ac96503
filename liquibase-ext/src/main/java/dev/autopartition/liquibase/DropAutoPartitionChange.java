package dev.autopartition.liquibase;

import dev.autopartition.AutoPartition;
import dev.autopartition.InvalidSpecException;
import dev.autopartition.Operation;
import dev.autopartition.Plan;
import dev.autopartition.SpecField;
import dev.autopartition.TableName;
import liquibase.change.Change;
import liquibase.change.ChangeMetaData;
import liquibase.change.DatabaseChange;
import liquibase.database.Database;
import org.jspecify.annotations.Nullable;

/**
 * Removes a table's auto-partition rule: maintenance stops creating and removing its partitions. The partitions, their
 * rows and the partitioned table stay as they are.
 *
 * <p>Rollback: the rule is declared again as the latest earlier {@code autoPartition} of the changelog declared it;
 * without one there is no automatic rollback.
 */
@DatabaseChange(
        name = "dropAutoPartition",
        description = "Removes the auto-partition rule of a table; its partitions stay",
        priority = ChangeMetaData.PRIORITY_DEFAULT,
        appliesTo = "table",
        since = "0.1")
public class DropAutoPartitionChange extends TableChange {

    @Override
    void checkStatic(Problems problems, Database database) {
        requireTable(problems, database, "name the table whose auto-partition rule is removed.");
    }

    @Override
    Operation.DropRule operation(Database database) {
        return new Operation.DropRule(table(database));
    }

    @Override
    void checkDatabase(AutoPartition engine, Database database, Problems problems) {
        TableName table = table(database);
        Plan plan = engine.plan(operation(database));
        if (plan.isEmpty()) {
            var connection = jdbc(database);
            if (connection != null && !exists(connection, table)) {
                throw new InvalidSpecException(
                        SpecField.TABLE,
                        "Table " + table + " does not exist. Fix: check the schema and the spelling (names are case"
                                + " sensitive).");
            }
            problems.warning(
                    "tableName", getTableName(), table + " has no auto-partition rule; the change does nothing.");
        }
    }

    @Override
    String willDo(Database database) {
        return "remove the auto-partition rule of " + table(database)
                + " from the autopartition catalog; the partitions stay";
    }

    @Override
    String execute(AutoPartition engine, Database database) {
        TableName table = table(database);
        return engine.apply(operation(database))
                ? "Auto-partition rule of " + table + " removed; its partitions stay"
                : table + " had no auto-partition rule; nothing removed";
    }

    @Override
    protected Change @Nullable [] createInverses() {
        AutoPartitionChange previous = AutoPartitionChange.previousDeclaration(this);
        return previous == null ? null : new Change[] {previous.copy()};
    }

    @Override
    @Nullable
    String rollbackImpossible() {
        return createInverses() != null
                ? null
                : "no earlier autoPartition of " + getTableName() + " in this changelog says what the rule was. Fix:"
                        + " write a <rollback> block with the autoPartition to restore.";
    }
}
