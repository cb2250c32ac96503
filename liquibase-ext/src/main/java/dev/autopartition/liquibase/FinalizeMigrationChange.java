package dev.autopartition.liquibase;

import dev.autopartition.AutoPartition;
import dev.autopartition.InvalidSpecException;
import dev.autopartition.MigrationPhase;
import dev.autopartition.MigrationStatus;
import dev.autopartition.Operation;
import dev.autopartition.SpecField;
import dev.autopartition.TableName;
import java.util.Optional;
import liquibase.change.ChangeMetaData;
import liquibase.change.DatabaseChange;
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
public class FinalizeMigrationChange extends TableChange {

    @Override
    void checkStatic(Problems problems, Database database) {
        requireTable(problems, database, "name the migrated table whose original is dropped.");
        outsideTransaction(
                problems, ": an attach migration drops the index copies it kept with DROP INDEX CONCURRENTLY.", "");
    }

    @Override
    Operation.MigrationStep operation(Database database) {
        return new Operation.MigrationStep(table(database), Operation.MigrationStep.Step.FINALIZE);
    }

    @Override
    void checkDatabase(AutoPartition engine, Database database, Problems problems) {
        TableName table = table(database);
        Optional<MigrationStatus> status = engine.migrationStatus(table);
        if (status.isPresent() && status.get().phase() == MigrationPhase.FINALIZED) {
            problems.warning(
                    "tableName",
                    getTableName(),
                    "the migration of " + table + " is finalized already; the" + " change does nothing.");
            return;
        }
        if (status.isEmpty() || status.get().phase() != MigrationPhase.CUT_OVER) {
            throw new InvalidSpecException(
                    SpecField.TABLE,
                    "Table " + table + " has no migration that has cut over ("
                            + status.map(s -> "its migration is " + s.phase()).orElse("no migration was found")
                            + "), so there is nothing to finalize. Fix: run migrateToPartitioned to its cutover in an"
                            + " earlier change set, or check the table name.");
        }
    }

    @Override
    String willDo(Database database) {
        return "drop the original of " + table(database)
                + " that its migration kept for a rollback, and the migration's helpers";
    }

    @Override
    String execute(AutoPartition engine, Database database) {
        TableName table = table(database);
        Optional<MigrationStatus> status = engine.migrationStatus(table);
        if (status.isPresent() && status.get().phase() == MigrationPhase.FINALIZED) {
            return "The migration of " + table + " was finalized already";
        }
        return "Finalized the migration of " + table + ": " + engine.apply(operation(database));
    }

    @Override
    @Nullable
    String rollbackImpossible() {
        return "finalizeMigration dropped the original table, so there is nothing to swap back. Fix: write a"
                + " <rollback/> block (nothing to do) if later change sets must be rolled back past it.";
    }
}
