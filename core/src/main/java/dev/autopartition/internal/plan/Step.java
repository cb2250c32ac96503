package dev.autopartition.internal.plan;

import dev.autopartition.TableName;

/** One unit of partition work. Each kind knows how to describe itself; {@link Renderer} turns it into SQL. */
public sealed interface Step permits CreatePartition, AttachPartition, RemovePartition, MovePartition, ConvertTable {
    /** The partitioned table the step works on. */
    TableName parent();

    /** A one-line description for plans, logs and reports. */
    String describe();
}
