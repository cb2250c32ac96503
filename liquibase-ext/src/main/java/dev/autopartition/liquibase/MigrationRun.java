package dev.autopartition.liquibase;

import static dev.autopartition.liquibase.Preview.comment;

import dev.autopartition.AutoPartition;
import dev.autopartition.AutoPartitionException;
import dev.autopartition.MigrationPhase;
import dev.autopartition.MigrationStatus;
import dev.autopartition.Operation;
import dev.autopartition.Operation.MigrationStep.Step;
import dev.autopartition.TableName;
import java.util.Optional;
import java.util.function.Supplier;
import liquibase.change.Change;
import liquibase.changelog.ChangeSet;
import liquibase.database.Database;
import liquibase.statement.SqlStatement;

/**
 * What a {@link MigrateToPartitionedChange} does depending on where the migration of its table stands: a change set
 * that runs again resumes the migration (or only reports it), and its rollback swaps the original table back.
 */
final class MigrationRun {
    private MigrationRun() {}

    /** Whether a migration of the table is under way or done, so the change resumes or only reports it. */
    static boolean resumes(Optional<MigrationStatus> status) {
        return status.isPresent()
                && status.get().phase() != MigrationPhase.ABORTED
                && status.get().phase() != MigrationPhase.FINALIZED;
    }

    /** The preview: a note, then where a migration under way stands, or the plan of a new one. */
    static String preview(TableName table, AutoPartition engine, Supplier<String> plan) {
        String note = comment("Runs outside a transaction: the engine commits each step (and each copy batch) itself"
                + " and resumes from its catalog when the change set runs again. Apply it with update; this script is"
                + " for review.");
        Optional<MigrationStatus> status = engine.migrationStatus(table);
        if (resumes(status)) {
            MigrationStatus s = status.get();
            return note
                    + comment("A migration of " + table + " is under way (" + s + "). update resumes it from phase "
                            + s.phase()
                            + (s.phase() == MigrationPhase.CUT_OVER ? " (it only finishes the bookkeeping)" : "")
                            + "; the remaining statements were planned when it started.");
        }
        if (status.isPresent() && status.get().phase() == MigrationPhase.FINALIZED) {
            return note + comment(table + " was migrated and finalized already: the change does nothing.");
        }
        return note + plan.get();
    }

    /** Runs (or resumes) the migration; a failure says where it stands and that the next update resumes it. */
    static String execute(
            MigrateToPartitionedChange change, AutoPartition engine, TableName table, Supplier<MigrationStatus> run) {
        Optional<MigrationStatus> before = engine.migrationStatus(table);
        if (before.isPresent() && before.get().phase() == MigrationPhase.FINALIZED) {
            return "migrateToPartitioned of " + table + ": migrated and finalized already (" + before.get() + ")";
        }
        MigrationStatus status;
        try {
            status = run.get();
        } catch (AutoPartitionException e) {
            throw new AutoPartitionException(e.getMessage() + whatNext(change, engine, table), e);
        }
        String resumed = resumes(before) ? " (resumed from " + before.get().phase() + ")" : "";
        return status.phase() == MigrationPhase.CUT_OVER
                ? "Migrated " + table + " to a partitioned table" + resumed + ": " + status
                : "Migration of " + table + " stopped before the cutover" + resumed + ": " + status;
    }

    /** After a failure: where the migration stands, and that the next update resumes it. */
    private static String whatNext(MigrateToPartitionedChange change, AutoPartition engine, TableName table) {
        Optional<MigrationStatus> after;
        try {
            after = engine.migrationStatus(table);
        } catch (RuntimeException e) {
            after = Optional.empty();
        }
        if (!resumes(after)) {
            return "";
        }
        MigrationPhase phase = after.get().phase();
        ChangeSet changeSet = change.getChangeSet();
        return " The migration stays at " + phase + " and keeps recording changes; Liquibase did not record change set "
                + (changeSet == null ? "" : changeSet.toString(false)) + ", so the next update runs it again and it"
                + " resumes " + (phase == MigrationPhase.VERIFIED ? "with the cutover." : "from there.");
    }

    /**
     * The rollback: undo, then abort, unless an earlier change set of the changelog prepared the migration with
     * {@code cutover="false"}: then the migration goes back to that state. Impossible after {@code finalizeMigration}.
     */
    static SqlStatement[] rollback(MigrateToPartitionedChange change, Database database) {
        TableName table = change.table(database);
        boolean backToVerified = change.cutsOver() && preparedEarlier(change);
        String what = "rollback of migrateToPartitioned of " + table;
        String plan = backToVerified
                ? "swap the original table back in (undoMigration), keeping every row written since the cutover;"
                        + " the migration returns to VERIFIED, as the earlier change set with cutover=\"false\" left it"
                : "swap the original table back in (undoMigration), keeping every row written since the cutover,"
                        + " then drop the migration's helpers (abortMigration): the table is as it was before the"
                        + " change set";
        String runs = comment("Runs outside a transaction. It will " + plan + ".");
        return Preview.rollback(
                change,
                database,
                what,
                runs,
                (engine, c) -> engine.migrationStatus(table)
                                .map(now -> comment("Now: " + now)
                                        + (now.phase() == MigrationPhase.FINALIZED
                                                ? comment("Cannot be rolled back: the migration was finalized and the"
                                                        + " original table is gone.")
                                                : ""))
                                .orElse("")
                        + runs,
                (engine, c) -> rollBack(change, engine, table, backToVerified, what));
    }

    /** Whether an earlier change of the changelog prepared this migration with cutover="false". */
    private static boolean preparedEarlier(MigrateToPartitionedChange change) {
        for (Change earlier : ChangeLogScan.earlier(change)) {
            if (earlier instanceof MigrateToPartitionedChange migration
                    && change.sameTable(migration)
                    && !migration.cutsOver()) {
                return true;
            }
        }
        return false;
    }

    private static String rollBack(
            MigrateToPartitionedChange change,
            AutoPartition engine,
            TableName table,
            boolean backToVerified,
            String what) {
        Optional<MigrationStatus> status = engine.migrationStatus(table);
        if (status.isEmpty() || status.get().phase() == MigrationPhase.ABORTED) {
            return what + ": nothing to roll back, no migration of " + table + " is under way";
        }
        MigrationStatus now = status.get();
        if (now.phase() == MigrationPhase.FINALIZED) {
            throw new AutoPartitionException(change.where() + " cannot be rolled back: the migration of " + table
                    + " was finalized (finalizeMigration), so the original table is gone. Fix: migrate the data"
                    + " back by hand if you must, and mark the change set rolled back with changelog-sync or a"
                    + " <rollback> block of your own (<rollback/> for none).");
        }
        if (now.phase() == MigrationPhase.CUT_OVER) {
            now = engine.apply(new Operation.MigrationStep(table, Step.UNDO));
        }
        if (!backToVerified && now.phase() != MigrationPhase.ABORTED) {
            now = engine.apply(new Operation.MigrationStep(table, Step.ABORT));
        }
        return what + ": " + table + " is the original table again; " + now;
    }
}
