package dev.autopartition.internal.catalog;

import dev.autopartition.StatementFailedException;
import dev.autopartition.TableName;
import dev.autopartition.internal.sql.KeyType;
import dev.autopartition.internal.sql.Sql;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/** Reads PostgreSQL's own catalog. Every query binds its values and names {@code pg_catalog} explicitly. */
public final class CatalogReader {
    private final CitusCatalog citus = new CitusCatalog();
    private static final String TABLE = """
            SELECT c.oid, c.relkind, c.relispartition, pt.partstrat,
                   (SELECT array_agg(a.attname ORDER BY k.ord)
                      FROM unnest(pt.partattrs) WITH ORDINALITY AS k(attnum, ord)
                      LEFT JOIN pg_catalog.pg_attribute a ON a.attrelid = c.oid AND a.attnum = k.attnum
                   ) AS key_columns,
                   (SELECT e.extname
                      FROM pg_catalog.pg_depend d
                      JOIN pg_catalog.pg_extension e ON e.oid = d.refobjid
                     WHERE d.deptype = 'e'
                       AND ((d.classid = 'pg_catalog.pg_class'::pg_catalog.regclass AND d.objid = c.oid)
                         OR (d.classid = 'pg_catalog.pg_namespace'::pg_catalog.regclass AND d.objid = n.oid))
                     LIMIT 1) AS extension,
                   EXISTS (SELECT 1 FROM pg_catalog.pg_extension WHERE extname = 'citus') AS citus
              FROM pg_catalog.pg_class c
              JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
              LEFT JOIN pg_catalog.pg_partitioned_table pt ON pt.partrelid = c.oid
             WHERE n.nspname = ? AND c.relname = ?
            """;
    private static final String COLUMNS = """
            SELECT a.attname, a.attnum, t.typname, pg_catalog.format_type(a.atttypid, a.atttypmod),
                   a.attnotnull, a.attgenerated <> ''
              FROM pg_catalog.pg_attribute a
              JOIN pg_catalog.pg_type t ON t.oid = a.atttypid
             WHERE a.attrelid = ? AND a.attnum > 0 AND NOT a.attisdropped
             ORDER BY a.attnum
            """;
    /*
     * Range bounds come back in key units (see KeyType) so no date text is ever parsed in Java: the bound literal
     * that pg_get_expr prints is cast back in SQL in the same session, so DateStyle and TimeZone cancel out.
     */
    private static final String PARTITIONS =
            """
            SELECT i.inhparent, c.oid, n.nspname, c.relname, i.inhdetachpending,
                   e.expr, e.expr = 'DEFAULT', r.m IS NOT NULL,
                   CASE WHEN r.m IS NULL OR r.m[1] IN ('MINVALUE', '''-infinity''') THEN NULL
                        ELSE {LOWER} END,
                   CASE WHEN r.m IS NULL OR r.m[2] IN ('MAXVALUE', '''infinity''') THEN NULL
                        ELSE {UPPER} END
              FROM pg_catalog.pg_inherits i
              JOIN pg_catalog.pg_class c ON c.oid = i.inhrelid
              JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
              JOIN pg_catalog.pg_partitioned_table pt ON pt.partrelid = i.inhparent
              LEFT JOIN pg_catalog.pg_attribute a ON a.attrelid = i.inhparent AND a.attnum = pt.partattrs[0]
              LEFT JOIN pg_catalog.pg_type t ON t.oid = a.atttypid
             CROSS JOIN LATERAL (SELECT pg_catalog.pg_get_expr(c.relpartbound, c.oid) AS expr) e
             CROSS JOIN LATERAL (SELECT pg_catalog.regexp_match(e.expr,
                                 '^FOR VALUES FROM \\((.*)\\) TO \\((.*)\\)$') AS m) r
             WHERE {filter} = ANY (?)
             ORDER BY i.inhparent, c.oid
            """.replace("{LOWER}", keyUnits("r.m[1]")).replace("{UPPER}", keyUnits("r.m[2]"));

    private static String keyUnits(String boundText) {
        String v = "pg_catalog.btrim(" + boundText + ", '''')";
        return """
                CASE t.typname
                  WHEN 'timestamptz' THEN (extract(epoch FROM {v}::timestamptz) * 1000000)::bigint
                  WHEN 'timestamp' THEN (extract(epoch FROM {v}::timestamp) * 1000000)::bigint
                  WHEN 'date' THEN ({v}::date - DATE '1970-01-01')::bigint
                  WHEN 'int2' THEN {v}::bigint
                  WHEN 'int4' THEN {v}::bigint
                  WHEN 'int8' THEN {v}::bigint
                  WHEN 'uuid' THEN ('x' || lpad(substr(replace({v}, '-', ''), 1, 12), 16, '0'))::bit(64)::bigint * 1000
                END""".replace("{v}", v);
    }

    /** The table, if it exists. */
    public Optional<TableInfo> table(Connection connection, TableName name) {
        try (PreparedStatement ps = connection.prepareStatement(TABLE)) {
            ps.setString(1, name.schema());
            ps.setString(2, name.name());
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                long oid = rs.getLong(1);
                String strategy = rs.getString(4);
                Array keys = rs.getArray(5);
                List<@Nullable String> key =
                        keys == null ? List.of() : new ArrayList<>(Arrays.asList((String[]) keys.getArray()));
                String extension = rs.getString(6);
                CitusTable citusTable =
                        rs.getBoolean(7) ? citus.tables(connection, Set.of(oid)).get(oid) : null;
                return Optional.of(new TableInfo(
                        oid,
                        name,
                        rs.getString(2).charAt(0),
                        rs.getBoolean(3),
                        strategy == null ? null : strategy.charAt(0),
                        key,
                        columns(connection, oid),
                        extension,
                        citusTable));
            }
        } catch (SQLException e) {
            throw new StatementFailedException("Cannot read the catalog entry of " + name, TABLE, e);
        }
    }

    private List<ColumnInfo> columns(Connection connection, long oid) throws SQLException {
        List<ColumnInfo> columns = new ArrayList<>();
        try (PreparedStatement ps = connection.prepareStatement(COLUMNS)) {
            ps.setLong(1, oid);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    columns.add(new ColumnInfo(
                            rs.getString(1),
                            rs.getInt(2),
                            rs.getString(3),
                            rs.getString(4),
                            rs.getBoolean(5),
                            rs.getBoolean(6)));
                }
            }
        }
        return columns;
    }

    /** The partitions of each parent, in one query. */
    public Map<Long, List<PartitionRow>> partitions(Connection connection, Set<Long> parentOids) {
        return partitions(connection, "i.inhparent", parentOids);
    }

    private static final String CHILDREN = """
            SELECT i.inhparent, i.inhrelid, i.inhdetachpending FROM pg_catalog.pg_inherits i
             WHERE i.inhparent = ANY (?)
            """;

    /**
     * The partitions of each parent, taking the bounds of partitions the engine already knows from {@code known}
     * (its own catalog, which recorded them when it created or adopted them): deparsing every bound with pg_get_expr
     * is what makes reading tens of thousands of partitions slow, and their bounds do not change.
     */
    public Map<Long, List<PartitionRow>> partitions(
            Connection connection, Set<Long> parentOids, Map<Long, KnownBounds> known) {
        Map<Long, List<PartitionRow>> result = new HashMap<>();
        if (parentOids.isEmpty()) {
            return result;
        }
        Set<Long> unknown = new java.util.HashSet<>();
        try (PreparedStatement ps = connection.prepareStatement(CHILDREN)) {
            ps.setArray(1, connection.createArrayOf("oid", parentOids.toArray()));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    KnownBounds bounds = known.get(rs.getLong(2));
                    if (bounds == null) {
                        unknown.add(rs.getLong(2));
                        continue;
                    }
                    PartitionRow row = new PartitionRow(
                            rs.getLong(1),
                            rs.getLong(2),
                            bounds.name(),
                            bounds.isDefault(),
                            !bounds.isDefault(),
                            bounds.lower(),
                            bounds.upper(),
                            rs.getBoolean(3),
                            bounds.isDefault() ? "DEFAULT" : "(bounds from the engine's catalog)");
                    result.computeIfAbsent(row.parentOid(), k -> new ArrayList<>())
                            .add(row);
                }
            }
        } catch (SQLException e) {
            throw new StatementFailedException(
                    "Cannot list the partitions of " + parentOids.size() + " tables", CHILDREN, e);
        }
        partitions(connection, "c.oid", unknown)
                .forEach((parent, rows) ->
                        result.computeIfAbsent(parent, k -> new ArrayList<>()).addAll(rows));
        return result;
    }

    /** Bounds the engine recorded for a partition it owns. */
    public record KnownBounds(
            TableName name, @Nullable Long lower, @Nullable Long upper, boolean isDefault) {}

    private Map<Long, List<PartitionRow>> partitions(Connection connection, String filter, Set<Long> oids) {
        Map<Long, List<PartitionRow>> result = new HashMap<>();
        if (oids.isEmpty()) {
            return result;
        }
        try {
            try (PreparedStatement ps = connection.prepareStatement(PARTITIONS.replace("{filter}", filter))) {
                ps.setArray(1, connection.createArrayOf("oid", oids.toArray()));
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        PartitionRow row = new PartitionRow(
                                rs.getLong(1),
                                rs.getLong(2),
                                TableName.of(rs.getString(3), rs.getString(4)),
                                rs.getBoolean(7),
                                rs.getBoolean(8),
                                nullableLong(rs, 9),
                                nullableLong(rs, 10),
                                rs.getBoolean(5),
                                rs.getString(6));
                        result.computeIfAbsent(row.parentOid(), k -> new ArrayList<>())
                                .add(row);
                    }
                }
            }
            return result;
        } catch (SQLException e) {
            throw new StatementFailedException(
                    "Cannot read the partitions of " + oids.size() + " relations", PARTITIONS, e);
        }
    }

    private static @Nullable Long nullableLong(ResultSet rs, int column) throws SQLException {
        long value = rs.getLong(column);
        return rs.wasNull() ? null : value;
    }

    /*
     * reltablespace 0 means the database's default tablespace; naming it makes "already there" a plain comparison of
     * names whichever way the tablespace was chosen.
     */
    private static final String PLACEMENTS = """
            SELECT n.nspname, c.relname, coalesce(t.spcname, d.spcname), ic.relname, coalesce(it.spcname, d.spcname)
              FROM pg_catalog.pg_inherits i
              JOIN pg_catalog.pg_class c ON c.oid = i.inhrelid
              JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
             CROSS JOIN (SELECT s.spcname FROM pg_catalog.pg_database db
                           JOIN pg_catalog.pg_tablespace s ON s.oid = db.dattablespace
                          WHERE db.datname = pg_catalog.current_database()) d
              LEFT JOIN pg_catalog.pg_tablespace t ON t.oid = c.reltablespace
              LEFT JOIN pg_catalog.pg_index x ON x.indrelid = c.oid
              LEFT JOIN pg_catalog.pg_class ic ON ic.oid = x.indexrelid
              LEFT JOIN pg_catalog.pg_tablespace it ON it.oid = ic.reltablespace
             WHERE i.inhparent = ANY (?)
            """;

    /** Where the partitions of each parent (and their indexes) are stored, in one query. */
    public Map<TableName, Placement> placements(Connection connection, Set<Long> parentOids) {
        Map<TableName, String> tables = new HashMap<>();
        Map<TableName, Map<String, String>> indexes = new HashMap<>();
        if (parentOids.isEmpty()) {
            return Map.of();
        }
        try (PreparedStatement ps = connection.prepareStatement(PLACEMENTS)) {
            ps.setArray(1, connection.createArrayOf("oid", parentOids.toArray()));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    TableName partition = TableName.of(rs.getString(1), rs.getString(2));
                    tables.put(partition, rs.getString(3));
                    Map<String, String> own = indexes.computeIfAbsent(partition, k -> new HashMap<>());
                    String index = rs.getString(4);
                    if (index != null) {
                        own.put(index, rs.getString(5));
                    }
                }
            }
        } catch (SQLException e) {
            throw new StatementFailedException("Cannot read the tablespaces of the partitions", PLACEMENTS, e);
        }
        Map<TableName, Placement> result = new HashMap<>();
        tables.forEach((name, tablespace) ->
                result.put(name, new Placement(tablespace, indexes.getOrDefault(name, Map.of()))));
        return result;
    }

    /** Whether a tablespace exists, and whether the current user may create relations in it. */
    public Optional<Boolean> tablespaceUsable(Connection connection, String tablespace) {
        String sql = """
                SELECT pg_catalog.has_tablespace_privilege(oid, 'CREATE') FROM pg_catalog.pg_tablespace
                 WHERE spcname = ?
                """;
        try (PreparedStatement ps = connection.prepareStatement(sql)) {
            ps.setString(1, tablespace);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(rs.getBoolean(1)) : Optional.empty();
            }
        } catch (SQLException e) {
            throw new StatementFailedException("Cannot look up tablespace " + Sql.quote(tablespace), sql, e);
        }
    }

    /** Whether a relation of that name exists. */
    public boolean relationExists(Connection connection, TableName name) {
        String sql = """
                SELECT 1 FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
                 WHERE n.nspname = ? AND c.relname = ?
                """;
        try (PreparedStatement ps = connection.prepareStatement(sql)) {
            ps.setString(1, name.schema());
            ps.setString(2, name.name());
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        } catch (SQLException e) {
            throw new StatementFailedException("Cannot look up " + name, sql, e);
        }
    }

    /** The names of every relation in a schema, for choosing names that do not collide. */
    public Set<String> relationNames(Connection connection, String schema) {
        String sql = """
                SELECT c.relname FROM pg_catalog.pg_class c
                  JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = ?
                """;
        Set<String> names = new HashSet<>();
        try (PreparedStatement ps = connection.prepareStatement(sql)) {
            ps.setString(1, schema);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    names.add(rs.getString(1));
                }
            }
            return names;
        } catch (SQLException e) {
            throw new StatementFailedException("Cannot list the relations of schema " + Sql.quote(schema), sql, e);
        }
    }

    /** The largest key value in the table, in key units, or null when the table is empty. */
    public @Nullable Long maxKey(Connection connection, TableName table, String column, KeyType type) {
        String sql = "SELECT max(" + Sql.quote(column) + ")::bigint FROM " + table.quoted();
        if (type.isTime()) {
            throw new IllegalArgumentException("max key is for integer keys");
        }
        return single(connection, sql, "Cannot read the largest key of " + table);
    }

    /** Whether the table has at least one row. */
    public boolean hasRows(Connection connection, TableName table) {
        String sql = "SELECT 1::bigint FROM " + table.quoted() + " LIMIT 1";
        return single(connection, sql, "Cannot read " + table) != null;
    }

    /** Whether the server is a standby. */
    public boolean inRecovery(Connection connection) {
        Long value = single(connection, "SELECT pg_catalog.pg_is_in_recovery()::int::bigint", "Cannot ask recovery");
        return value != null && value == 1L;
    }

    /** The server's major version. */
    public int serverMajor(Connection connection) {
        Long value = single(connection, "SELECT current_setting('server_version_num')::bigint", "Cannot read version");
        return value == null ? 0 : (int) (value / 10000);
    }

    /** Whether a schema exists. */
    public boolean schemaExists(Connection connection, String schema) {
        String sql = "SELECT 1::bigint FROM pg_catalog.pg_namespace WHERE nspname = ?";
        try (PreparedStatement ps = connection.prepareStatement(sql)) {
            ps.setString(1, schema);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        } catch (SQLException e) {
            throw new StatementFailedException("Cannot look up schema " + Sql.quote(schema), sql, e);
        }
    }

    private static @Nullable Long single(Connection connection, String sql, String what) {
        try (var st = connection.createStatement();
                ResultSet rs = st.executeQuery(sql)) {
            if (!rs.next()) {
                return null;
            }
            long value = rs.getLong(1);
            return rs.wasNull() ? null : value;
        } catch (SQLException e) {
            throw new StatementFailedException(what, sql, e);
        }
    }
}
