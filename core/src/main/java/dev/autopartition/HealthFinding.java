package dev.autopartition;

import org.jspecify.annotations.Nullable;

/**
 * One reason a {@link HealthReport} is not healthy.
 *
 * @param table the table it concerns, or null for a maintenance pass that failed as a whole
 * @param message what is wrong, on which table, and what to do
 */
public record HealthFinding(@Nullable TableName table, Kind kind, String message) {

    /** What is wrong. */
    public enum Kind {
        /** Fewer whole partitions lie ahead of the current one than the table's minimum (or the current is missing). */
        TOO_FEW_ADVANCE_PARTITIONS,
        /** Rows sit in the default partition: no range partition existed for them when they were written. */
        ROWS_IN_DEFAULT_PARTITION,
        /** The last maintenance run on the table, or the last pass as a whole, failed. */
        LAST_RUN_FAILED,
        /** An online migration before its cutover has made no progress for longer than allowed. */
        MIGRATION_STUCK,
        /**
         * An online migration's catch-up replays changes more slowly than the writers make them: its backlog does not
         * shrink, so it cannot reach its cutover until the writes slow down or the replay gets more room.
         */
        MIGRATION_FALLING_BEHIND
    }

    @Override
    public String toString() {
        return kind + ": " + message;
    }
}
