package dev.autopartition.internal.plan;

import dev.autopartition.TableName;
import dev.autopartition.internal.catalog.ManagedTable;
import dev.autopartition.internal.catalog.OwnedPartition;
import dev.autopartition.internal.catalog.PartitionRow;
import dev.autopartition.internal.catalog.Placement;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.jspecify.annotations.Nullable;

/**
 * Everything the planner needs to know about one managed table, read from the catalogs beforehand.
 *
 * @param now the current time in key units (time keys)
 * @param maxKey the largest key in the table (integer keys), or null when empty or not read
 * @param concurrentDetach whether {@code DETACH ... CONCURRENTLY} may be used (server 14+, own transactions)
 * @param nameTaken whether a relation name is already used in the table's schema
 * @param relationExists whether a relation exists
 * @param columns the parent's insertable columns (needed only when a default partition holds rows to move)
 * @param placements where each partition and its indexes are stored (read only for tables that tier partitions;
 *     a partition missing here is never moved)
 * @param creationPosition the value of the rule's autocreate expression in key units, or null to count advance
 *     partitions from the default position (the clock, or the largest key)
 */
public record TableState(
        ManagedTable table,
        List<PartitionRow> partitions,
        Map<TableName, OwnedPartition> owned,
        long now,
        @Nullable Long maxKey,
        boolean concurrentDetach,
        Predicate<String> nameTaken,
        Predicate<TableName> relationExists,
        List<String> columns,
        Map<TableName, Placement> placements,
        @Nullable Long creationPosition) {

    public TableState {
        partitions = List.copyOf(partitions);
        owned = Map.copyOf(owned);
        columns = List.copyOf(columns);
        placements = Map.copyOf(placements);
    }

    /** A state without placements and without an autocreate position. */
    public TableState(
            ManagedTable table,
            List<PartitionRow> partitions,
            Map<TableName, OwnedPartition> owned,
            long now,
            @Nullable Long maxKey,
            boolean concurrentDetach,
            Predicate<String> nameTaken,
            Predicate<TableName> relationExists,
            List<String> columns) {
        this(
                table,
                partitions,
                owned,
                now,
                maxKey,
                concurrentDetach,
                nameTaken,
                relationExists,
                columns,
                Map.of(),
                null);
    }
}
