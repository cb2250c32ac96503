package dev.autopartition;

import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * The state of one managed table.
 *
 * @param advancePartitions whole partitions that lie ahead of the current one (-1: the current one is missing)
 * @param oldestBound the lowest lower bound of its range partitions
 * @param newestBound the highest upper bound of its range partitions
 * @param defaultRows rows in the default partition, or null when it has none
 * @param lastMaintainedAt when maintenance last looked at the table
 * @param lastChange what the last maintenance run that changed or failed on the table reported
 */
public record TableStatus(
        TableName table,
        String column,
        Increment increment,
        boolean enabled,
        int partitions,
        long advancePartitions,
        int minimumAdvancePartitions,
        @Nullable String oldestBound,
        @Nullable String newestBound,
        @Nullable Long defaultRows,
        @Nullable Instant lastMaintainedAt,
        @Nullable String lastChange) {

    /** Whether the table needs attention: too few partitions ahead, or rows stuck in the default partition. */
    public boolean healthy() {
        return advancePartitions >= minimumAdvancePartitions && (defaultRows == null || defaultRows == 0);
    }
}
