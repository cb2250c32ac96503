package dev.autopartition;

import dev.autopartition.internal.sql.Sql;
import java.util.Objects;

/**
 * A table's exact catalog spelling: schema and name, case and all. {@code TableName.of("public", "Chat Messages")}
 * names the table that SQL writes as {@code "public"."Chat Messages"}.
 */
public record TableName(String schema, String name) {
    public TableName {
        Sql.checkIdentifier(Objects.requireNonNull(schema, "schema"), "schema name");
        Sql.checkIdentifier(Objects.requireNonNull(name, "name"), "table name");
    }

    /** A table in the given schema. */
    public static TableName of(String schema, String name) {
        return new TableName(schema, name);
    }

    /** A table in schema {@code public}. */
    public static TableName of(String name) {
        return new TableName("public", name);
    }

    /**
     * Parses {@code table}, {@code schema.table} or quoted forms such as {@code "My Schema"."My Table"}, following
     * SQL's rules: unquoted names fold to lower case, quoted names keep their spelling.
     */
    public static TableName parse(String qualifiedName) {
        return Sql.parseQualifiedName(qualifiedName);
    }

    /** The quoted, schema-qualified name, ready for SQL. */
    public String quoted() {
        return Sql.quote(schema) + "." + Sql.quote(name);
    }

    @Override
    public String toString() {
        return quoted();
    }
}
