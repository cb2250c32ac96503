package dev.autopartition.internal.plan;

import dev.autopartition.TableName;

/**
 * Create a partition with a given bound clause ({@code DEFAULT}, {@code FOR VALUES IN (...)}, {@code FOR VALUES WITH
 * (...)}, or a range on a key type the engine does not compute with) as a standalone table, and attach it.
 */
public record AttachPartition(TableName parent, TableName partition, String bound, boolean reusePending)
        implements Step {
    public static AttachPartition defaultPartition(TableName parent, TableName partition, boolean reuse) {
        return new AttachPartition(parent, partition, "DEFAULT", reuse);
    }

    @Override
    public String describe() {
        return "create partition " + partition + " of " + parent + " " + bound;
    }
}
