package dev.autopartition.liquibase;

import dev.autopartition.AutoPartition;
import dev.autopartition.InvalidSpecException;
import dev.autopartition.Plan;
import dev.autopartition.TableName;
import java.util.List;
import liquibase.change.Change;
import liquibase.change.ChangeMetaData;
import liquibase.change.DatabaseChange;
import liquibase.change.DatabaseChangeProperty;
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
public class DropAutoPartitionChange extends AbstractPartitionChange {
    private @Nullable String schemaName;
    private @Nullable String tableName;

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
            description = "The table whose rule is removed",
            exampleValue = "events",
            requiredForDatabase = "postgresql",
            supportsDatabase = "postgresql")
    public @Nullable String getTableName() {
        return tableName;
    }

    public void setTableName(@Nullable String tableName) {
        this.tableName = tableName;
    }

    @Override
    void checkStatic(Problems problems, Database database) {
        problems.require("tableName", tableName, "name the table whose auto-partition rule is removed.");
        table(problems, database, schemaName, tableName, "tableName");
    }

    @Override
    void checkDatabase(AutoPartition engine, Database database, Problems problems) {
        TableName table = tableOf(database, schemaName, tableName);
        Plan plan = engine.planDropAutoPartition(table);
        if (plan.isEmpty()) {
            var connection = jdbc(database);
            if (connection != null && !exists(connection, table)) {
                throw new InvalidSpecException("Table " + table + " does not exist. Fix: check the schema and the"
                        + " spelling (names are case sensitive).");
            }
            problems.warning("tableName", tableName, table + " has no auto-partition rule; the change does nothing.");
        }
    }

    @Override
    @Nullable
    String attributeFor(String message) {
        return message.startsWith("Table ") ? "tableName" : null;
    }

    @Override
    List<String> tablesUsed() {
        return tableName == null ? List.of() : List.of(tableName);
    }

    @Override
    boolean names(String table) {
        return table.equalsIgnoreCase(String.valueOf(tableName));
    }

    @Override
    String describe(Database database) {
        return "dropAutoPartition of " + tableOf(database, schemaName, tableName);
    }

    @Override
    String willDo(Database database) {
        return "remove the auto-partition rule of " + tableOf(database, schemaName, tableName)
                + " from the autopartition catalog; the partitions stay";
    }

    @Override
    String preview(AutoPartition engine, Database database) {
        return engine.planDropAutoPartition(tableOf(database, schemaName, tableName))
                .toSql();
    }

    @Override
    String execute(AutoPartition engine, Database database) {
        TableName table = tableOf(database, schemaName, tableName);
        return engine.dropAutoPartition(table)
                ? "Auto-partition rule of " + table + " removed; its partitions stay"
                : table + " had no auto-partition rule; nothing removed";
    }

    @Override
    protected Change @Nullable [] createInverses() {
        AutoPartitionChange previous = AutoPartitionChange.previousDeclaration(this, tableName, schemaName);
        return previous == null ? null : new Change[] {previous.copy()};
    }

    @Override
    @Nullable
    String rollbackImpossible() {
        return createInverses() != null
                ? null
                : "no earlier autoPartition of " + tableName + " in this changelog says what the rule was. Fix:"
                        + " write a <rollback> block with the autoPartition to restore.";
    }
}
