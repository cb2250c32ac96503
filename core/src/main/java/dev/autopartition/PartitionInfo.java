package dev.autopartition;

import org.jspecify.annotations.Nullable;

/**
 * A partition and its bounds.
 *
 * @param bound the bound as PostgreSQL prints it ({@code FOR VALUES FROM (...) TO (...)}, {@code DEFAULT}, ...)
 * @param lower the lower bound as a person reads it (time keys in the table's zone), or null
 * @param upper the upper bound, or null
 */
public record PartitionInfo(
        TableName name,
        String bound,
        @Nullable String lower,
        @Nullable String upper) {
    public boolean isDefault() {
        return bound.equals("DEFAULT");
    }
}
