package dev.autopartition.liquibase;

import dev.autopartition.AutoPartitionException;
import dev.autopartition.TableName;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import liquibase.change.DatabaseChangeProperty;
import liquibase.changelog.ChangeSet;
import liquibase.database.Database;
import org.jspecify.annotations.Nullable;

/**
 * A change on one table: the {@code schemaName} and {@code tableName} attributes, and how they name a table. Liquibase
 * finds the attributes of a change type by introspection, which sees these inherited getters and setters as its own.
 */
public abstract class TableChange extends AbstractPartitionChange {
    private @Nullable String schemaName;
    private @Nullable String tableName;

    TableChange() {}

    @DatabaseChangeProperty(
            description =
                    "Schema of the table (and of a partition the change names); default: Liquibase's default schema",
            requiredForDatabase = "none",
            supportsDatabase = "postgresql")
    public @Nullable String getSchemaName() {
        return schemaName;
    }

    public void setSchemaName(@Nullable String schemaName) {
        this.schemaName = schemaName;
    }

    @DatabaseChangeProperty(
            description = "The table the change works on",
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
    List<String> tablesUsed() {
        return tableName == null ? List.of() : List.of(tableName);
    }

    @Override
    boolean names(String table) {
        return table.equalsIgnoreCase(String.valueOf(tableName));
    }

    /** The change and its table, such as {@code dropAutoPartition of "public"."events"}. */
    @Override
    String describe(Database database) {
        return changeName() + " of " + table(database);
    }

    /** The table, once validation has passed. */
    TableName table(Database database) {
        return tableIn(database, tableName);
    }

    /** A table (or partition) of this change's schema, once validation has passed. */
    TableName tableIn(Database database, @Nullable String name) {
        return TableName.of(schemaName != null ? schemaName : defaultSchema(database), name == null ? "" : name);
    }

    /** Whether another change names the same table as this one, as written. */
    boolean sameTable(TableChange other) {
        return other.tableName != null
                && other.tableName.equals(tableName)
                && java.util.Objects.equals(other.schemaName, schemaName);
    }

    /** The table (or partition) named by an attribute of this change's schema; reports a bad name and returns null. */
    @Nullable
    TableName resolve(Problems problems, Database database, @Nullable String name, String attribute) {
        if (name == null || name.isBlank()) {
            return null;
        }
        String schema = schemaName != null ? schemaName : defaultSchema(database);
        if (!problems.check("schemaName", schemaName, () -> TableName.of(schema, "t"))) {
            return null;
        }
        TableName[] result = new TableName[1];
        return problems.check(attribute, name, () -> result[0] = TableName.of(schema, name)) ? result[0] : null;
    }

    /** Reports a missing or bad {@code tableName}; returns the table, or null. */
    @Nullable
    TableName requireTable(Problems problems, Database database, String fix) {
        problems.require("tableName", tableName, fix);
        return resolve(problems, database, tableName, "tableName");
    }

    /**
     * Reports a change set that runs in a transaction although the change must not; returns whether it did.
     *
     * @param why why the change must not, starting with its punctuation
     * @param moreFix what else to do, after the fix of the change set
     */
    boolean outsideTransaction(Problems problems, String why, String moreFix) {
        ChangeSet changeSet = getChangeSet();
        if (changeSet == null || !changeSet.isRunInTransaction()) {
            return false;
        }
        problems.error(
                null,
                null,
                "must run outside a transaction, and change set " + changeSet.getId() + " runs in one"
                        + " (runInTransaction defaults to true)" + why + " Fix: add runInTransaction=\"false\" to"
                        + " change set " + changeSet.getId() + " (YAML and JSON: runInTransaction: false)" + moreFix
                        + ".");
        return true;
    }

    /** The schema a table without schemaName is in: Liquibase's default schema. */
    static String defaultSchema(Database database) {
        String schema = database.getDefaultSchemaName();
        return schema == null || schema.isBlank() ? "public" : schema;
    }

    /** Whether a table (of any kind) exists, by JDBC metadata. */
    static boolean exists(Connection connection, TableName table) {
        try {
            DatabaseMetaData meta = connection.getMetaData();
            String escape = meta.getSearchStringEscape();
            try (ResultSet rs = meta.getTables(null, like(table.schema(), escape), like(table.name(), escape), null)) {
                while (rs.next()) {
                    if (table.schema().equals(rs.getString("TABLE_SCHEM"))
                            && table.name().equals(rs.getString("TABLE_NAME"))) {
                        return true;
                    }
                }
                return false;
            }
        } catch (SQLException e) {
            throw new AutoPartitionException("Cannot look up " + table + ": " + e.getMessage(), e);
        }
    }

    private static String like(String name, String escape) {
        return name.replace(escape, escape + escape).replace("%", escape + "%").replace("_", escape + "_");
    }
}
