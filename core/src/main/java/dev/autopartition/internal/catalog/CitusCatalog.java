package dev.autopartition.internal.catalog;

import dev.autopartition.StatementFailedException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * Reads Citus's metadata. Every query here runs only where the {@code citus} extension is installed, so a plain
 * PostgreSQL never sees a reference to {@code pg_dist_partition}.
 */
public final class CitusCatalog {
    private static final String INSTALLED = """
            SELECT EXISTS (SELECT 1 FROM pg_catalog.pg_extension WHERE extname = 'citus'),
                   pg_catalog.current_setting('citus.propagate_set_commands', true) IS NOT NULL
            """;
    private static final String TABLES = """
            SELECT p.logicalrelid::oid, p.partmethod, p.repmodel, p.colocationid,
                   CASE WHEN p.partkey IS NOT NULL
                        THEN pg_catalog.column_to_column_name(p.logicalrelid, p.partkey) END
              FROM pg_catalog.pg_dist_partition p
             WHERE p.logicalrelid::oid = ANY (?)
            """;

    /** Whether the database has the citus extension (and the server has the library loaded). */
    public boolean installed(Connection connection) {
        try (var st = connection.createStatement();
                ResultSet rs = st.executeQuery(INSTALLED)) {
            rs.next();
            return rs.getBoolean(1) && rs.getBoolean(2);
        } catch (SQLException e) {
            throw new StatementFailedException("Cannot look for the citus extension", INSTALLED, e);
        }
    }

    /** How Citus places each of the tables it knows, in one query; empty without Citus. */
    public Map<Long, CitusTable> tables(Connection connection, Set<Long> oids) {
        Map<Long, CitusTable> result = new HashMap<>();
        if (oids.isEmpty() || !installed(connection)) {
            return result;
        }
        try (PreparedStatement ps = connection.prepareStatement(TABLES)) {
            ps.setArray(1, connection.createArrayOf("oid", oids.toArray()));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    long colocation = rs.getLong(4);
                    CitusTable.Kind kind = CitusTable.kind(
                            rs.getString(2).charAt(0), rs.getString(3).charAt(0), colocation);
                    result.put(rs.getLong(1), new CitusTable(kind, rs.getString(5), colocation));
                }
            }
        } catch (SQLException e) {
            throw new StatementFailedException("Cannot read Citus's metadata of " + oids.size() + " tables", TABLES, e);
        }
        return result;
    }
}
