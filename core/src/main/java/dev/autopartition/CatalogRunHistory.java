package dev.autopartition;

import java.util.List;
import java.util.Optional;

/**
 * What the engine catalog's work history ({@link AutoPartition#maintenanceHistory}) says maintenance last did, whoever
 * ran it: another instance, a CLI, the in-database procedure under pg_cron. The history keeps the runs that changed,
 * skipped or failed on a table (at most 1,000 per table), so the totals count within those.
 */
final class CatalogRunHistory implements RunHistory {
    /** The history's own bound on kept runs per table; the totals read no further back. */
    private static final int KEPT_RUNS = 1_000;

    private final AutoPartition engine;

    CatalogRunHistory(AutoPartition engine) {
        this.engine = engine;
    }

    @Override
    public Optional<LastRun> lastPass() {
        return engine.maintenanceHistory(null, 1).stream().findFirst().map(CatalogRunHistory::lastRun);
    }

    @Override
    public Optional<LastRun> lastRun(TableName table) {
        return engine.maintenanceHistory(table, 1).stream().findFirst().map(CatalogRunHistory::lastRun);
    }

    @Override
    public long partitionsCreated(TableName table) {
        return runs(table).stream().mapToLong(run -> run.created().size()).sum();
    }

    @Override
    public long partitionsRemoved(TableName table) {
        return runs(table).stream().mapToLong(run -> run.removed().size()).sum();
    }

    private List<MaintenanceRun> runs(TableName table) {
        return engine.maintenanceHistory(table, KEPT_RUNS);
    }

    private static LastRun lastRun(MaintenanceRun run) {
        LastRun.Outcome outcome = switch (run.outcome()) {
            case CHANGED -> LastRun.Outcome.SUCCESS;
            case SKIPPED -> LastRun.Outcome.SKIPPED;
            case FAILED -> LastRun.Outcome.FAILED;
        };
        String detail = run.error() != null ? run.error() : run.skipped();
        return new LastRun(
                run.startedAt(),
                run.duration(),
                outcome,
                run.created().size(),
                run.removed().size(),
                detail);
    }
}
