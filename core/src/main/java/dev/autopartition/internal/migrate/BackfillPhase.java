package dev.autopartition.internal.migrate;

import dev.autopartition.MigrationPhase;

/** PREPARED to BACKFILLED: every partition loaded (or, for ATTACH, the legacy CHECK proven) and attached. */
record BackfillPhase() implements Phase {
    @Override
    public MigrationPhase from() {
        return MigrationPhase.PREPARED;
    }

    @Override
    public void advance(MigrationRun run) {
        run.strategy.backfill(run);
        run.advance(run.ctx.phase(run.connection, run.row(), MigrationPhase.BACKFILLED, run.paced(null)));
    }
}
