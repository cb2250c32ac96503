package dev.autopartition.internal.migrate;

import dev.autopartition.MigrationPhase;
import dev.autopartition.MigrationStrategy;
import dev.autopartition.PlannedStep;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;

/**
 * How rows get into the partitioned table: copied ({@link CopyStrategy}) or kept in place as one legacy partition
 * ({@link AttachStrategy}). A strategy plans its script (pure) and does its part of each phase.
 */
sealed interface Strategy permits CopyStrategy, AttachStrategy {

    static Strategy of(MigrationStrategy strategy) {
        return strategy == MigrationStrategy.ATTACH ? new AttachStrategy() : new CopyStrategy();
    }

    /** Every stored stage of the script. */
    MigrationScript script(PlanInput in);

    /** The dry run's first step's action. */
    String prepareAction(PlanInput in);

    /** The dry run's steps between the prepare and the cutover. */
    List<PlannedStep> middleSteps(PlanInput in, List<TargetPartition> partitions);

    String cutoverAction(PlanInput in);

    /** Notes of the dry run after the strategy's own; {@code gapNote} is the partition range's. */
    List<String> notes(PlanInput in, List<TargetPartition> partitions, String gapNote);

    /** The backfill phase's work: load the partitions, or prove the legacy CHECK and build its indexes. */
    void backfill(MigrationRun run);

    /** The catch-up phase's work: replay and verify, or nothing where no row moves. */
    void catchUp(MigrationRun run);

    /** Before each cutover attempt, outside the lock: leave as little as possible for the lock. */
    void beforeCutover(MigrationRun run);

    /** Under the cutover's lock, before the script's cutover statements; returns the changes it replayed. */
    long underCutoverLock(MigrationRun run);

    /** Under the undo's lock (in its transaction on {@code connection}), before the script's undo statements. */
    void underUndoLock(MigrationContext ctx, Connection connection, MigrationRow row) throws SQLException;

    /** Where an undo leaves the migration: ready to cut over again, or ended. */
    MigrationPhase afterUndo();

    /** The message recorded with {@link #afterUndo()}. */
    String afterUndoMessage(MigrationRow row);
}
