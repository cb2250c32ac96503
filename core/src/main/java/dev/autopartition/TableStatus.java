package dev.autopartition;

import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * The state of one managed table: its partitions, what maintenance did last and what it will do next. The same
 * figures are readable from SQL in the catalog's {@code table_status} view.
 *
 * @param advancePartitions whole partitions that lie ahead of the current one (-1: the current one is missing)
 * @param oldestBound the lowest lower bound of its range partitions
 * @param newestBound the highest upper bound of its range partitions
 * @param defaultRows rows in the default partition, or null when it has none
 * @param lastMaintainedAt when maintenance last looked at the table
 * @param lastChange what the last maintenance run that changed or failed on the table reported
 * @param lastMaintainedBy who last looked at the table: {@code java} or {@code database}, or null
 * @param lastRun the newest entry of the table's work history, or null
 * @param creationDue the key value (a time, for time keys) from which maintenance creates partitions again: the
 *     current position when it would create some now; null when a MAXVALUE partition covers everything ahead
 * @param nextPartition the name the next partition will get
 * @param retentionDue when the oldest owned partition becomes due for retention (a time, or a key value for integer
 *     keys), or null without retention
 * @param retentionPartition that partition, or null
 * @param placement where Citus keeps the table, such as {@code distributed by "tenant_id" (co-location group 2)}, or
 *     {@code reference}; null on plain PostgreSQL and for tables Citus does not know
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
        @Nullable String lastChange,
        @Nullable String lastMaintainedBy,
        @Nullable MaintenanceRun lastRun,
        @Nullable String creationDue,
        @Nullable String nextPartition,
        @Nullable String retentionDue,
        @Nullable String retentionPartition,
        @Nullable String placement) {

    /** Whether the table needs attention: too few partitions ahead, or rows stuck in the default partition. */
    public boolean healthy() {
        return advancePartitions >= minimumAdvancePartitions && (defaultRows == null || defaultRows == 0);
    }
}
