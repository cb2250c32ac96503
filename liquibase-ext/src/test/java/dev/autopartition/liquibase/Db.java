package dev.autopartition.liquibase;

import dev.autopartition.testing.TestDatabase;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Reads what tests assert on: partitions, rules, relations and Liquibase's history. */
final class Db {
    private final TestDatabase database;

    Db(TestDatabase database) {
        this.database = database;
    }

    List<String> rows(String sql) {
        List<String> rows = new ArrayList<>();
        try (Connection c = database.connection();
                Statement st = c.createStatement();
                ResultSet rs = st.executeQuery(sql)) {
            int columns = rs.getMetaData().getColumnCount();
            while (rs.next()) {
                StringBuilder row = new StringBuilder();
                for (int i = 1; i <= columns; i++) {
                    if (i > 1) {
                        row.append(" | ");
                    }
                    row.append(rs.getString(i));
                }
                rows.add(row.toString());
            }
            return rows;
        } catch (SQLException e) {
            throw new IllegalStateException(sql + ": " + e.getMessage(), e);
        }
    }

    /** The partitions of a table with their bounds, by name: {@code events_p20220110: FOR VALUES FROM ...}. */
    List<String> partitions(String table) {
        return rows("SELECT c.relname || ': ' || pg_get_expr(c.relpartbound, c.oid) FROM pg_inherits i"
                + " JOIN pg_class c ON c.oid = i.inhrelid WHERE i.inhparent = 'public." + table
                + "'::regclass ORDER BY c.relname");
    }

    /** The names of a table's partitions. */
    List<String> partitionNames(String table) {
        return partitions(table).stream()
                .map(p -> p.substring(0, p.indexOf(':')))
                .toList();
    }

    /** How a table is partitioned ({@code RANGE (created_at)}), or "none" when it is not. */
    String partitionKey(String table) {
        return rows("SELECT coalesce(pg_get_partkeydef('public." + table + "'::regclass), 'none')")
                .get(0);
    }

    /** The saved rules: table, key, increment, advance window, retention, default partition, pattern, enabled. */
    List<String> rules() {
        if (!exists("autopartition", "managed_table")) {
            return List.of();
        }
        return rows("SELECT table_name, key_column, increment, time_zone, initial_lower_bound, min_advance,"
                + " max_advance, retention, retention_action, retention_schema, default_partition, naming_pattern,"
                + " enabled FROM autopartition.managed_table ORDER BY table_name");
    }

    boolean exists(String schema, String relation) {
        return !rows("SELECT 1 FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = '"
                        + schema + "' AND c.relname = '" + relation + "'")
                .isEmpty();
    }

    boolean schemaExists(String schema) {
        return !rows("SELECT 1 FROM pg_namespace WHERE nspname = '" + schema + "'")
                .isEmpty();
    }

    /** Every table, partition and index outside the system schemas, with its kind. */
    List<String> relations() {
        return rows("SELECT n.nspname || '.' || c.relname || ':' || c.relkind::text FROM pg_class c"
                + " JOIN pg_namespace n ON n.oid = c.relnamespace"
                + " WHERE n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg_toast%'"
                + " ORDER BY 1");
    }

    /** Liquibase's history: change set id to checksum and exec type, in the order they ran. */
    Map<String, String> history() {
        Map<String, String> out = new LinkedHashMap<>();
        if (!exists("public", "databasechangelog")) {
            return out;
        }
        for (String row : rows("SELECT id, md5sum, exectype FROM databasechangelog ORDER BY orderexecuted")) {
            String[] parts = row.split(" \\| ");
            out.put(parts[0], parts[1] + " " + parts[2]);
        }
        return out;
    }

    /** Everything a failed or dry command must leave as it was. */
    String snapshot() {
        return String.join("\n", relations()) + "\n--\n" + String.join("\n", rules()) + "\n--\n" + history();
    }

    void execute(String... sql) {
        database.execute(sql);
    }
}
