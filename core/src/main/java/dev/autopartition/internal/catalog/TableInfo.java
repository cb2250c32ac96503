package dev.autopartition.internal.catalog;

import dev.autopartition.TableName;
import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * A table as the catalog describes it.
 *
 * @param relkind {@code r} plain, {@code p} partitioned, others (views, foreign tables) are refused
 * @param partitionStrategy {@code r} range, {@code l} list, {@code h} hash, or null when not partitioned
 * @param partitionKey the key's column names; an expression shows as null
 */
public record TableInfo(
        long oid,
        TableName name,
        char relkind,
        boolean isPartition,
        @Nullable Character partitionStrategy,
        List<@Nullable String> partitionKey,
        List<ColumnInfo> columns) {

    public Optional<ColumnInfo> column(String columnName) {
        return columns.stream().filter(c -> c.name().equals(columnName)).findFirst();
    }

    public boolean isPartitioned() {
        return relkind == 'p';
    }
}
