package dev.autopartition.internal.migrate;

import dev.autopartition.TableName;
import dev.autopartition.internal.catalog.ColumnInfo;
import dev.autopartition.internal.sql.KeyType;
import dev.autopartition.internal.sql.Sql;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Everything about the table being migrated that has to be carried over, read from the catalog in one place.
 *
 * @param primaryKey the primary key's columns, in order
 * @param primaryKeyTypes their SQL types, for casts of recorded key values
 * @param uniques unique and primary-key constraints: name, columns, whether primary
 * @param outboundForeignKeys foreign keys of the table: name and definition
 * @param inboundForeignKeys foreign keys that reference the table
 * @param indexes indexes not behind a constraint
 * @param triggers user triggers: name and definition
 * @param views views that depend on the table: qualified name and definition
 * @param policies row-level security policies as CREATE POLICY statements for the new table
 * @param grants table privileges as GRANT statements for the new table
 * @param sequences sequences owned by the table's columns (serial): qualified name and column
 * @param identityColumns identity columns
 * @param keyIndexed whether a valid, non-partial index starts with the partition key, so a range of keys is read
 *     without a scan of the whole table
 */
public record SourceTable(
        long oid,
        TableName name,
        List<ColumnInfo> columns,
        String keyColumn,
        KeyType keyType,
        String primaryKeyName,
        List<String> primaryKey,
        List<String> primaryKeyTypes,
        List<Unique> uniques,
        List<Named> outboundForeignKeys,
        List<InboundForeignKey> inboundForeignKeys,
        List<Index> indexes,
        List<Named> triggers,
        List<Named> views,
        List<String> policies,
        boolean rowSecurity,
        boolean forceRowSecurity,
        List<String> grants,
        String owner,
        String currentUser,
        @org.jspecify.annotations.Nullable String comment,
        List<Named> sequences,
        List<String> identityColumns,
        long rowsEstimate,
        boolean keyIndexed) {

    /** A named object and its definition. */
    public record Named(String name, String definition) {}

    /**
     * An index not behind a constraint.
     *
     * @param body its definition after the table's name ({@code USING btree (...) ...}), to re-target it
     */
    public record Index(String name, boolean unique, String body) {}

    /**
     * A unique or primary-key constraint.
     *
     * @param indexBytes the size of its index
     */
    public record Unique(String name, List<String> columns, boolean primary, String definition, long indexBytes) {}

    /** A foreign key of another table that references this one. */
    public record InboundForeignKey(
            String name,
            TableName referencing,
            List<String> referencingColumns,
            List<String> referencedColumns,
            String options) {}

    /** The columns an INSERT can write (generated columns are computed). */
    public List<String> insertableColumns() {
        return columns.stream()
                .filter(c -> !c.generated())
                .map(ColumnInfo::name)
                .toList();
    }

    /** The primary key's columns, quoted and comma-separated. */
    String quotedPrimaryKey() {
        return primaryKey.stream().map(Sql::quote).collect(Collectors.joining(", "));
    }

    /** The insertable columns, quoted and comma-separated. */
    String quotedInsertableColumns() {
        return insertableColumns().stream().map(Sql::quote).collect(Collectors.joining(", "));
    }

    /** What an INSERT of copied rows needs after its column list: identity columns take the copied values. */
    String overriding() {
        return identityColumns.isEmpty() ? "" : " OVERRIDING SYSTEM VALUE";
    }

    /** All columns, for comparing rows. */
    public List<String> columnNames() {
        return columns.stream().map(ColumnInfo::name).toList();
    }
}
