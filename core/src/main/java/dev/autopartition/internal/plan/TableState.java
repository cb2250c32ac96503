package dev.autopartition.internal.plan;

import dev.autopartition.TableName;
import dev.autopartition.internal.catalog.ManagedTable;
import dev.autopartition.internal.catalog.OwnedPartition;
import dev.autopartition.internal.catalog.PartitionRow;
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
        List<String> columns) {

    public TableState {
        partitions = List.copyOf(partitions);
        owned = Map.copyOf(owned);
        columns = List.copyOf(columns);
    }
}
