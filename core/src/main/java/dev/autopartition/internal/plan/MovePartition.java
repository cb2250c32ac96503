package dev.autopartition.internal.plan;

import dev.autopartition.TableName;
import java.util.List;

/**
 * Tiering: move one old partition, and its indexes, to another tablespace. Each move rewrites the relation under an
 * ACCESS EXCLUSIVE lock on that partition (or index) alone, never on the parent.
 *
 * @param moveTable whether the partition itself still has to move (false when only some indexes are left)
 * @param indexes the partition's indexes not yet in the tablespace
 */
public record MovePartition(
        TableName parent,
        TableName partition,
        String range,
        String tablespace,
        boolean moveTable,
        List<TableName> indexes)
        implements Step {

    public MovePartition {
        indexes = List.copyOf(indexes);
    }

    @Override
    public String describe() {
        String what = moveTable
                ? "move partition " + partition + (indexes.isEmpty() ? "" : " and " + indexes.size() + " index(es)")
                : "move " + indexes.size() + " index(es) of partition " + partition;
        return what + " of " + parent + " to tablespace " + tablespace + " (" + range + ", past tierAfter)";
    }
}
