package dev.autopartition.testing;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import javax.sql.DataSource;

/**
 * What a database holds that a refused call must leave alone: schemas, relations (with their kind, partition bound and
 * tablespace), constraints, non-internal triggers, and a digest of every row of every table in the engine's catalog
 * schemas. Two snapshots are equal when nothing of that changed; {@link #diff} says what did.
 *
 * <pre>{@code
 * CatalogSnapshot before = CatalogSnapshot.of(pg.dataSource());
 * assertThatThrownBy(() -> ap.autoPartition(badSpec)).isInstanceOf(InvalidSpecException.class);
 * assertThat(CatalogSnapshot.of(pg.dataSource()).diff(before)).isEmpty();
 * }</pre>
 *
 * @param lines one line per object, sorted
 */
public record CatalogSnapshot(List<String> lines) {
    private static final String USER_SCHEMAS = "n.nspname NOT IN ('pg_catalog', 'information_schema', 'pg_toast')"
            + " AND n.nspname NOT LIKE 'pg_temp%' AND n.nspname NOT LIKE 'pg_toast_temp%'";

    private static final String OBJECTS = """
            SELECT 'schema ' || n.nspname FROM pg_catalog.pg_namespace n WHERE USER_SCHEMAS
            UNION ALL
            SELECT 'relation ' || n.nspname || '.' || c.relname || ' kind=' || c.relkind::text
                   || ' partition=' || c.relispartition
                   || coalesce(' bound=' || pg_catalog.pg_get_expr(c.relpartbound, c.oid), '')
                   || ' tablespace=' || c.reltablespace
              FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace WHERE USER_SCHEMAS
            UNION ALL
            SELECT 'constraint ' || n.nspname || '.' || c.relname || '.' || k.conname || ' '
                   || pg_catalog.pg_get_constraintdef(k.oid)
              FROM pg_catalog.pg_constraint k
              JOIN pg_catalog.pg_class c ON c.oid = k.conrelid
              JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace WHERE USER_SCHEMAS
            UNION ALL
            SELECT 'trigger ' || n.nspname || '.' || c.relname || '.' || t.tgname || ' enabled=' || t.tgenabled::text
              FROM pg_catalog.pg_trigger t
              JOIN pg_catalog.pg_class c ON c.oid = t.tgrelid
              JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace WHERE NOT t.tgisinternal AND USER_SCHEMAS
            """.replace("USER_SCHEMAS", USER_SCHEMAS);

    /** The ordinary tables of schemas that look like the engine's catalog (they hold its {@code catalog_version}). */
    private static final String CATALOG_TABLES = """
            SELECT pg_catalog.quote_ident(n.nspname) || '.' || pg_catalog.quote_ident(c.relname)
              FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
             WHERE c.relkind IN ('r', 'p') AND EXISTS (
                   SELECT 1 FROM pg_catalog.pg_class v
                    WHERE v.relnamespace = n.oid AND v.relname = 'catalog_version')
             ORDER BY 1
            """;

    public CatalogSnapshot {
        lines = List.copyOf(lines);
    }

    /** A snapshot of the database the data source connects to. */
    public static CatalogSnapshot of(DataSource dataSource) {
        try (Connection connection = dataSource.getConnection()) {
            return of(connection);
        } catch (SQLException e) {
            throw new IllegalStateException("Cannot take a catalog snapshot: " + e.getMessage(), e);
        }
    }

    /** A snapshot through a connection the caller owns. */
    public static CatalogSnapshot of(Connection connection) {
        TreeSet<String> lines = new TreeSet<>();
        try (Statement st = connection.createStatement()) {
            lines.addAll(strings(st, OBJECTS));
            for (String table : strings(st, CATALOG_TABLES)) {
                lines.addAll(strings(
                        st,
                        "SELECT 'rows " + table.replace("'", "''") + " ' || count(*) || ' '"
                                + " || coalesce(md5(string_agg(t::text, ',' ORDER BY t::text)), '-') FROM " + table
                                + " t"));
            }
        } catch (SQLException e) {
            throw new IllegalStateException("Cannot take a catalog snapshot: " + e.getMessage(), e);
        }
        return new CatalogSnapshot(new ArrayList<>(lines));
    }

    private static List<String> strings(Statement st, String sql) throws SQLException {
        List<String> out = new ArrayList<>();
        try (ResultSet rs = st.executeQuery(sql)) {
            while (rs.next()) {
                out.add(rs.getString(1));
            }
        }
        return out;
    }

    /** What differs from an earlier snapshot: lines prefixed {@code +} (new) or {@code -} (gone); empty when equal. */
    public List<String> diff(CatalogSnapshot earlier) {
        List<String> out = new ArrayList<>();
        TreeSet<String> now = new TreeSet<>(lines);
        TreeSet<String> then = new TreeSet<>(earlier.lines);
        for (String line : then) {
            if (!now.contains(line)) {
                out.add("- " + line);
            }
        }
        for (String line : now) {
            if (!then.contains(line)) {
                out.add("+ " + line);
            }
        }
        return out;
    }
}
