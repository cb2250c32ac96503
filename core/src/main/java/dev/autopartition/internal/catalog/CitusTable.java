package dev.autopartition.internal.catalog;

import dev.autopartition.internal.sql.Sql;
import org.jspecify.annotations.Nullable;

/**
 * How Citus places a table, from {@code pg_dist_partition} on the coordinator. A table Citus does not know has no
 * CitusTable at all.
 *
 * @param kind distributed (its rows live in shards on the workers), reference (a copy on every node) or local (a
 *     Citus local table on the coordinator)
 * @param distributionColumn the column rows are distributed by, or null for reference and local tables
 * @param colocationId the co-location group; partitions of a distributed table share their parent's
 */
public record CitusTable(Kind kind, @Nullable String distributionColumn, long colocationId) {

    /** The kinds of table Citus knows. */
    public enum Kind {
        DISTRIBUTED("distributed"),
        REFERENCE("reference"),
        LOCAL("Citus local");

        private final String label;

        Kind(String label) {
            this.label = label;
        }

        /** How reports name the kind, such as {@code distributed}. */
        public String label() {
            return label;
        }
    }

    /**
     * The kind from {@code pg_dist_partition.partmethod} and {@code repmodel}: hash (and the legacy append and range)
     * tables and Citus 12's single-shard tables (method {@code n} in a co-location group) have shards on workers;
     * {@code n} with replication model {@code t} is a reference table; the rest are Citus local tables.
     */
    static Kind kind(char partitionMethod, char replicationModel, long colocationId) {
        if (partitionMethod != 'n') {
            return Kind.DISTRIBUTED;
        }
        if (replicationModel == 't') {
            return Kind.REFERENCE;
        }
        return colocationId == 0 ? Kind.LOCAL : Kind.DISTRIBUTED;
    }

    /** For reports: {@code distributed by "tenant_id" (co-location group 3)}, {@code reference}. */
    public String describe() {
        String column = distributionColumn;
        return kind.label()
                + (column == null ? "" : " by " + Sql.quote(column))
                + (kind == Kind.DISTRIBUTED ? " (co-location group " + colocationId + ")" : "");
    }
}
