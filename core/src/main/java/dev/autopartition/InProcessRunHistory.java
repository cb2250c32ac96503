package dev.autopartition;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/** The runs of this process's scheduler, kept in memory. */
final class InProcessRunHistory implements RunHistory {
    private @Nullable LastRun lastPass;
    /** Whether the last pass failed as a whole (no connection, say), before it could look at any table. */
    private boolean lastPassAborted;

    /** Counts passes, so a table's last report can be told apart from an older pass with the same start time. */
    private long passes;

    private final Map<TableName, LastRun> lastRuns = new HashMap<>();
    private final Map<TableName, Long> lastRunPass = new HashMap<>();
    private final Map<TableName, long[]> totals = new HashMap<>();

    synchronized void record(MaintenanceReport report) {
        passes++;
        lastPass = new LastRun(
                report.startedAt(),
                report.duration(),
                report.hasErrors() ? LastRun.Outcome.FAILED : LastRun.Outcome.SUCCESS,
                report.created(),
                report.removed(),
                report.hasErrors() ? "a table failed; see its last run" : null);
        lastPassAborted = false;
        for (TableReport table : report.tables()) {
            LastRun run = LastRun.of(report.startedAt(), table);
            lastRuns.put(table.table(), run);
            lastRunPass.put(table.table(), passes);
            long[] sums = totals.computeIfAbsent(table.table(), t -> new long[2]);
            sums[0] += run.created();
            sums[1] += run.removed();
        }
    }

    synchronized void recordFailure(Instant startedAt, Duration duration, RuntimeException failure) {
        passes++;
        lastPass = new LastRun(startedAt, duration, LastRun.Outcome.FAILED, 0, 0, String.valueOf(failure.getMessage()));
        lastPassAborted = true;
    }

    @Override
    public synchronized Optional<LastRun> lastPass() {
        return Optional.ofNullable(lastPass);
    }

    @Override
    public synchronized Optional<LastRun> lastRun(TableName table) {
        LastRun own = lastRuns.get(table);
        LastRun pass = lastPass;
        if (pass == null || (own != null && lastRunPass.getOrDefault(table, 0L) == passes)) {
            return Optional.ofNullable(own);
        }
        // A pass that completed without a report for the table found nothing to do on it. A pass that failed as a
        // whole (no connection, say) failed for every table.
        return lastPassAborted
                ? Optional.of(pass)
                : Optional.of(new LastRun(pass.startedAt(), Duration.ZERO, LastRun.Outcome.SUCCESS, 0, 0, null));
    }

    @Override
    public synchronized long partitionsCreated(TableName table) {
        long[] sums = totals.get(table);
        return sums == null ? 0 : sums[0];
    }

    @Override
    public synchronized long partitionsRemoved(TableName table) {
        long[] sums = totals.get(table);
        return sums == null ? 0 : sums[1];
    }
}
