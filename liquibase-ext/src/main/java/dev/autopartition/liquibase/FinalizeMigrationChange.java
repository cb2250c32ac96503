package dev.autopartition.liquibase;

import dev.autopartition.AutoPartition;
import dev.autopartition.InvalidSpecException;
import dev.autopartition.MigrationPhase;
import dev.autopartition.MigrationStatus;
import dev.autopartition.TableName;
import java.util.List;
import java.util.Optional;
import liquibase.change.ChangeMetaData;
import liquibase.change.DatabaseChange;
import liquibase.change.DatabaseChangeProperty;
import liquibase.changelog.ChangeSet;
import liquibase.database.Database;
import org.jspecify.annotations.Nullable;

/**
 * Ends a {@code migrateToPartitioned} that has cut over ({@link AutoPartition#finalizeMigration}): the original table,
 * kept until now so that the migration could be rolled back, and the migration's helpers are dropped. Meant for a
 * later release, once the partitioned table has proved itself. Needs {@code runInTransaction="false"}.
 *
 * <p>No rollback: the original table is gone.
 */
@DatabaseChange(
        name = "finalizeMigration",
        description = "Drops the original table a migrateToPartitioned kept for its rollback; needs"
                + " runInTransaction=\"false\"",
        priority = ChangeMetaData.PRIORITY_DEFAULT,
        appliesTo = "table",
        since = "0.2")
public class FinalizeMigrationChange extends AbstractPartitionChange {
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
            description = "The migrated table whose original is dropped",
            exampleValue = "chat_messages",
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
        problems.require("tableName", tableName, "name the migrated table whose original is dropped.");
        table(problems, database, schemaName, tableName, "tableName");
        ChangeSet changeSet = getChangeSet();
        if (changeSet != null && changeSet.isRunInTransaction()) {
            problems.error(
                    null,
                    null,
                    "must run outside a transaction, and change set " + changeSet.getId() + " runs in one"
                            + " (runInTransaction defaults to true): an attach migration drops the index copies it"
                            + " kept with DROP INDEX CONCURRENTLY. Fix: add runInTransaction=\"false\" to change set "
                            + changeSet.getId() + " (YAML and JSON: runInTransaction: false).");
        }
    }

    @Override
    void checkDatabase(AutoPartition engine, Database database, Problems problems) {
        TableName table = tableOf(database, schemaName, tableName);
        Optional<MigrationStatus> status = engine.migrationStatus(table);
        if (status.isPresent() && status.get().phase() == MigrationPhase.FINALIZED) {
            problems.warning(
                    "tableName",
                    tableName,
                    "the migration of " + table + " is finalized already; the" + " change does nothing.");
            return;
        }
        if (status.isEmpty() || status.get().phase() != MigrationPhase.CUT_OVER) {
            throw new InvalidSpecException("Table " + table + " has no migration that has cut over ("
                    + status.map(s -> "its migration is " + s.phase()).orElse("no migration was found")
                    + "), so there is nothing to finalize. Fix: run migrateToPartitioned to its cutover in an"
                    + " earlier change set, or check the table name.");
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
        return "finalizeMigration of " + tableOf(database, schemaName, tableName);
    }

    @Override
    String willDo(Database database) {
        return "drop the original of " + tableOf(database, schemaName, tableName)
                + " that its migration kept for a rollback, and the migration's helpers";
    }

    @Override
    String preview(AutoPartition engine, Database database) {
        return engine.planFinalizeMigration(tableOf(database, schemaName, tableName))
                .toSql();
    }

    @Override
    String execute(AutoPartition engine, Database database) {
        TableName table = tableOf(database, schemaName, tableName);
        Optional<MigrationStatus> status = engine.migrationStatus(table);
        if (status.isPresent() && status.get().phase() == MigrationPhase.FINALIZED) {
            return "The migration of " + table + " was finalized already";
        }
        return "Finalized the migration of " + table + ": " + engine.finalizeMigration(table);
    }

    @Override
    @Nullable
    String rollbackImpossible() {
        return "finalizeMigration dropped the original table, so there is nothing to swap back. Fix: write a"
                + " <rollback/> block (nothing to do) if later change sets must be rolled back past it.";
    }
}
