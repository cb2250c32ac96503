package dev.autopartition.internal.plan;

import dev.autopartition.TableName;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Create one range partition as a standalone table, prove its bounds with a CHECK, and attach it.
 *
 * @param reusePending the standalone table already exists from an earlier, interrupted run
 * @param defaultPartition the parent's default partition, whose rows in this range move into the new partition
 * @param columns the parent's insertable columns, for moving rows out of the default partition
 */
public record CreatePartition(
        TableName parent,
        TableName partition,
        long lower,
        long upper,
        String range,
        boolean reusePending,
        @Nullable TableName defaultPartition,
        List<String> columns)
        implements Step {

    public CreatePartition {
        columns = List.copyOf(columns);
    }

    @Override
    public String describe() {
        return "create partition " + partition + " of " + parent + " for " + range
                + (defaultPartition == null ? "" : ", moving its rows out of " + defaultPartition);
    }
}
