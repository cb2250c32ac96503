package dev.autopartition.internal.migrate;

import dev.autopartition.MigrationPhase;

/** BACKFILLED to VERIFIED: recorded changes replayed, every partition compared with the original and repaired. */
record CatchUpPhase() implements Phase {
    @Override
    public MigrationPhase from() {
        return MigrationPhase.BACKFILLED;
    }

    @Override
    public void advance(MigrationRun run) {
        run.strategy.catchUp(run);
        run.advance(run.ctx.phase(run.connection, run.row(), MigrationPhase.VERIFIED, run.paced("ready to cut over")));
    }
}
