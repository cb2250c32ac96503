package dev.autopartition;

import org.jspecify.annotations.Nullable;

/**
 * One managed table as health checks and metrics see it: its status plus the numbers a gauge exports.
 *
 * @param oldestBound the lowest lower bound as a number: seconds since the epoch for time keys (a {@code timestamp}
 *     or {@code date} read in the table's time zone), the key itself for integer keys; null without partitions
 * @param newestBound the highest upper bound, in the same unit
 * @param lastRun what the last maintenance pass of the {@link RunHistory} did to the table, or null
 * @param partitionsCreated partitions the history's maintenance created on the table
 * @param partitionsRemoved partitions the history's maintenance removed from the table
 */
public record TableHealth(
        TableStatus status,
        @Nullable Double oldestBound,
        @Nullable Double newestBound,
        @Nullable LastRun lastRun,
        long partitionsCreated,
        long partitionsRemoved) {

    public TableName table() {
        return status.table();
    }

    /** Rows in the default partition; 0 when the table has none. */
    public long defaultRows() {
        Long rows = status.defaultRows();
        return rows == null ? 0 : rows;
    }
}
