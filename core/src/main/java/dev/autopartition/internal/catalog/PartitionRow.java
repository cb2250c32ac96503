package dev.autopartition.internal.catalog;

import dev.autopartition.TableName;
import org.jspecify.annotations.Nullable;

/**
 * One partition of a parent, as the catalog shows it now.
 *
 * @param lower the range's lower bound in key units, or null for MINVALUE or a partition that is not a range
 * @param upper the range's upper bound in key units, or null for MAXVALUE or a partition that is not a range
 * @param range whether it is a range partition
 * @param detachPending whether a concurrent detach of it was interrupted and needs FINALIZE
 */
public record PartitionRow(
        long parentOid,
        long oid,
        TableName name,
        boolean isDefault,
        boolean range,
        @Nullable Long lower,
        @Nullable Long upper,
        boolean detachPending,
        String bound) {

    /** Whether the partition's range overlaps {@code [lo, hi)}. */
    public boolean overlaps(long lo, long hi) {
        if (!range) {
            return false;
        }
        boolean startsBeforeHi = lower == null || lower < hi;
        boolean endsAfterLo = upper == null || upper > lo;
        return startsBeforeHi && endsAfterLo;
    }
}
