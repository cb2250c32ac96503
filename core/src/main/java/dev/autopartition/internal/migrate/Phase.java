package dev.autopartition.internal.migrate;

import dev.autopartition.MigrationPhase;

/**
 * One phase of a migration's run: it starts from one recorded phase, does its work (the strategy's part of it), and
 * records the next. The {@link Migrator} drives them in order; a resumed run starts at the phase recorded.
 */
sealed interface Phase permits BackfillPhase, CatchUpPhase, CutoverPhase {

    /** The recorded phase this phase starts from. */
    MigrationPhase from();

    /** Does the work and records the next phase on the run's row (or leaves it, when there is nothing to do yet). */
    void advance(MigrationRun run);
}
