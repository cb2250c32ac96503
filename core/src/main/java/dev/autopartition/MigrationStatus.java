package dev.autopartition;

import java.time.Duration;
import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * The progress of an online migration, as recorded in the engine's catalog.
 *
 * @param rowsEstimate the planner's estimate of the rows to copy
 * @param rowsCopied rows copied by the backfill so far
 * @param rowsPerSecond the backfill rate since the migration started
 * @param eta the estimated time to finish the backfill, or null when unknown or done
 * @param backlog recorded changes not yet replayed
 * @param cutoverLockMillis how long the successful cutover held its lock on the table, or null before cutover
 * @param message the last thing worth knowing (a blocker, a refusal, what to do next)
 * @param fallingBehind set while the catch-up is falling behind the writers (its backlog does not shrink): since when,
 *     at what rates and what to do; null while it keeps up
 */
public record MigrationStatus(
        TableName table,
        MigrationStrategy strategy,
        MigrationPhase phase,
        long rowsEstimate,
        long rowsCopied,
        long rowsReplayed,
        double rowsPerSecond,
        @Nullable Duration eta,
        long backlog,
        int partitions,
        int partitionsAttached,
        int cutoverAttempts,
        @Nullable Double cutoverLockMillis,
        @Nullable String message,
        @Nullable FallingBehind fallingBehind) {

    /**
     * A catch-up that replays changes more slowly than the writers make them.
     *
     * @param since when it was first seen falling behind, kept until a pass shrinks the backlog
     * @param reason the rates seen and what to do
     */
    public record FallingBehind(Instant since, String reason) {}

    @Override
    public String toString() {
        StringBuilder out = new StringBuilder()
                .append(table)
                .append(": ")
                .append(phase)
                .append(" (")
                .append(strategy)
                .append("), ")
                .append(rowsCopied)
                .append(" of ~")
                .append(rowsEstimate)
                .append(" rows copied, ")
                .append(partitionsAttached)
                .append('/')
                .append(partitions)
                .append(" partitions attached, backlog ")
                .append(backlog);
        if (cutoverLockMillis != null) {
            out.append(", cutover held the lock ")
                    .append(String.format(java.util.Locale.ROOT, "%.1f", cutoverLockMillis))
                    .append(" ms");
        }
        if (fallingBehind != null) {
            out.append(", falling behind since ")
                    .append(fallingBehind.since())
                    .append(": ")
                    .append(fallingBehind.reason());
        }
        if (message != null) {
            out.append(" - ").append(message);
        }
        return out.toString();
    }
}
