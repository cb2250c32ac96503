package dev.autopartition.internal.catalog;

import dev.autopartition.InvalidSpecException;
import dev.autopartition.SpecField;
import dev.autopartition.TableName;
import dev.autopartition.internal.sql.Sql;
import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * A table as the catalog describes it.
 *
 * @param relkind {@code r} plain, {@code p} partitioned, others (views, foreign tables) are refused
 * @param partitionStrategy {@code r} range, {@code l} list, {@code h} hash, or null when not partitioned
 * @param partitionKey the key's column names; an expression shows as null
 * @param extension the extension the table or its schema belongs to, or null
 * @param citus how Citus places the table, or null when Citus does not know it (or is not installed)
 */
public record TableInfo(
        long oid,
        TableName name,
        char relkind,
        boolean isPartition,
        @Nullable Character partitionStrategy,
        List<@Nullable String> partitionKey,
        List<ColumnInfo> columns,
        @Nullable String extension,
        @Nullable CitusTable citus) {

    public Optional<ColumnInfo> column(String columnName) {
        return columns.stream().filter(c -> c.name().equals(columnName)).findFirst();
    }

    public boolean isPartitioned() {
        return relkind == 'p';
    }

    /**
     * Refuses a relation no rule or migration may manage: one that is not a table (a view, a materialized view, a
     * foreign table...), the engine's own catalog, or an extension's table.
     *
     * @param catalogSchema the schema of the engine's catalog
     * @param operation what was asked, for the message, such as {@code autoPartition}
     */
    public void requireManageable(String catalogSchema, String operation) {
        String kind = switch (relkind) {
            case 'r', 'p' -> null;
            case 'v' -> "a view";
            case 'm' -> "a materialized view";
            case 'f' -> "a foreign table";
            case 'S' -> "a sequence";
            case 'i', 'I' -> "an index";
            case 'c' -> "a composite type";
            case 't' -> "a TOAST table";
            default -> "not a table (relkind '" + relkind + "')";
        };
        if (kind != null) {
            throw new InvalidSpecException(
                    SpecField.TABLE,
                    name + " is " + kind + ", and " + operation + " works on tables. Fix: name the table it reads"
                            + " from" + (relkind == 'm' ? " (a materialized view cannot be partitioned)" : "")
                            + ", or a plain or partitioned table of your own.");
        }
        if (name.schema().equals(catalogSchema)) {
            throw new InvalidSpecException(
                    SpecField.TABLE,
                    name + " is one of autopartition's own catalog tables (schema " + Sql.quote(catalogSchema)
                            + "), which the engine manages itself. Fix: name one of your tables.");
        }
        String owner = extension;
        if (owner != null) {
            throw new InvalidSpecException(
                    SpecField.TABLE,
                    name + " belongs to the extension " + Sql.quote(owner) + ", which manages it; partitioning it"
                            + " would break the extension and its upgrades. Fix: name one of your tables.");
        }
        requireNotCitusPlainTable(operation);
    }

    /*
     * Both ways of turning a plain table into a partitioned one replace the table: autoPartition's conversion drops
     * it and creates a partitioned twin (losing the distribution), and migrateToPartitioned captures changes with a
     * trigger on the table, which Citus refuses on distributed tables ("triggers are not supported on distributed
     * tables") and which, where allowed, fires on the workers' shards, out of reach of the coordinator's change log.
     */
    private void requireNotCitusPlainTable(String operation) {
        CitusTable placement = citus;
        if (placement == null || relkind != 'r') {
            return;
        }
        String fix = operation.equals("migrateToPartitioned")
                ? "migrate the table before distributing it (migrateToPartitioned on the local table, then"
                        + " create_distributed_table on the partitioned result), or create a new partitioned table,"
                        + " distribute it co-located with this one and copy the rows with INSERT ... SELECT"
                : "undistribute it (SELECT undistribute_table('" + name.quoted().replace("'", "''") + "')), declare"
                        + " the rule on the local table, then distribute the partitioned table with"
                        + " create_distributed_table; or create it PARTITION BY RANGE before distributing it";
        throw new InvalidSpecException(
                SpecField.TABLE,
                name + " is a Citus table (" + placement.describe() + "), and " + operation + " would have to"
                        + " replace it, which Citus cannot do online. Fix: " + fix + ". See docs/citus.md.");
    }
}
