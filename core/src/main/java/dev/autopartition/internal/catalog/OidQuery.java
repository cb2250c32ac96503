package dev.autopartition.internal.catalog;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * Catalog queries about one relation: every {@code ?1} (or {@code ?}) in the SQL is bound to the relation's OID, and
 * rows come back as text, NULL as the empty string.
 */
public final class OidQuery {
    private OidQuery() {}

    public static List<String[]> rows(Connection connection, String sql, long oid) throws SQLException {
        String bound = sql.replace("?1", "?");
        int parameters = bound.length() - bound.replace("?", "").length();
        List<String[]> result = new ArrayList<>();
        try (PreparedStatement ps = connection.prepareStatement(bound)) {
            for (int i = 1; i <= parameters; i++) {
                ps.setLong(i, oid);
            }
            try (ResultSet rs = ps.executeQuery()) {
                int columns = rs.getMetaData().getColumnCount();
                while (rs.next()) {
                    String[] row = new String[columns];
                    for (int i = 0; i < columns; i++) {
                        String value = rs.getString(i + 1);
                        row[i] = value == null ? "" : value;
                    }
                    result.add(row);
                }
            }
        }
        return result;
    }

    /** The first column of every row. */
    public static List<String> strings(Connection connection, String sql, long oid) throws SQLException {
        List<String> result = new ArrayList<>();
        for (String[] row : rows(connection, sql, oid)) {
            result.add(row[0]);
        }
        return result;
    }
}
