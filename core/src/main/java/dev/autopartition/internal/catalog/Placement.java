package dev.autopartition.internal.catalog;

import java.util.Map;

/**
 * Where a partition and its indexes are stored: the effective tablespace of each (the database's default tablespace
 * when the relation names none).
 *
 * @param tablespace the partition's tablespace
 * @param indexes the tablespace of each of the partition's indexes, by index name (indexes live in their table's
 *     schema)
 */
public record Placement(String tablespace, Map<String, String> indexes) {
    public Placement {
        indexes = Map.copyOf(indexes);
    }
}
