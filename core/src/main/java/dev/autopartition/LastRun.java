package dev.autopartition;

import java.time.Duration;
import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * What the last maintenance pass that looked at a table did to it, or what the last pass as a whole did.
 *
 * @param startedAt when the pass started
 * @param duration how long the table took (for a whole pass: the pass)
 * @param outcome how it ended
 * @param created partitions created
 * @param removed partitions detached, dropped or moved
 * @param detail why it was skipped or what failed, or null
 */
public record LastRun(
        Instant startedAt,
        Duration duration,
        Outcome outcome,
        int created,
        int removed,
        @Nullable String detail) {

    /** How a run ended. */
    public enum Outcome {
        /** It did its work, or found none to do. */
        SUCCESS,
        /** It left the table alone: another maintainer held it, the server is a standby, the table is disabled. */
        SKIPPED,
        /** A step failed (its table's later steps wait for the next run), or the whole pass failed. */
        FAILED
    }

    /** What a pass did to one table. */
    static LastRun of(Instant startedAt, TableReport report) {
        Outcome outcome = !report.errors().isEmpty()
                ? Outcome.FAILED
                : report.skipped() != null ? Outcome.SKIPPED : Outcome.SUCCESS;
        String detail = !report.errors().isEmpty() ? String.join("; ", report.errors()) : report.skipped();
        return new LastRun(
                startedAt,
                report.duration(),
                outcome,
                report.created().size(),
                report.detached().size()
                        + report.dropped().size()
                        + report.moved().size(),
                detail);
    }
}
