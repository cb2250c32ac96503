package dev.autopartition.samples.common;

import java.io.PrintStream;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import javax.sql.DataSource;

/** The partitions of a table with their bounds and exact row counts, read from the catalog and printed as a table. */
public final class Partitions {
    private Partitions() {}

    /**
     * One partition.
     *
     * @param from the lower bound in UTC ({@code 2022-01-01 00:00}), or {@code DEFAULT}
     * @param to the upper bound in UTC, or empty for the default partition
     */
    public record Row(String name, String from, String to, long rows) {}

    /** Every partition of a table in schema public, in the order of their bounds. */
    public static List<Row> of(DataSource dataSource, String table) throws SQLException {
        String sql = """
                SELECT c.relname,
                       coalesce(to_char(b.lower_bound AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI'), 'DEFAULT'),
                       coalesce(to_char(b.upper_bound AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI'), '')
                  FROM pg_inherits i
                  JOIN pg_class c ON c.oid = i.inhrelid
                 CROSS JOIN LATERAL (SELECT regexp_match(pg_get_expr(c.relpartbound, c.oid),
                                     'FROM \\(''(.*)''\\) TO \\(''(.*)''\\)') AS m) r
                 CROSS JOIN LATERAL (SELECT r.m[1]::timestamptz AS lower_bound,
                                            r.m[2]::timestamptz AS upper_bound) b
                 WHERE i.inhparent = ?::regclass
                 ORDER BY b.lower_bound NULLS LAST, c.relname""";
        List<Row> names = new ArrayList<>();
        try (Connection c = dataSource.getConnection()) {
            try (PreparedStatement st = c.prepareStatement(sql)) {
                st.setString(1, "public." + table);
                try (ResultSet rs = st.executeQuery()) {
                    while (rs.next()) {
                        names.add(new Row(rs.getString(1), rs.getString(2), rs.getString(3), 0));
                    }
                }
            }
            List<Row> rows = new ArrayList<>();
            for (Row p : names) {
                try (PreparedStatement st = c.prepareStatement("SELECT count(*) FROM ONLY public." + quote(p.name()));
                        ResultSet rs = st.executeQuery()) {
                    rs.next();
                    rows.add(new Row(p.name(), p.from(), p.to(), rs.getLong(1)));
                }
            }
            return rows;
        }
    }

    private static String quote(String identifier) {
        return "\"" + identifier.replace("\"", "\"\"") + "\"";
    }

    /** Prints the partitions as a table with a total line. */
    public static void print(PrintStream out, String table, List<Row> partitions) {
        out.printf(Locale.ROOT, "%-26s %-17s %-17s %10s%n", "partition of " + table, "from (UTC)", "to (UTC)", "rows");
        long total = 0;
        for (Row p : partitions) {
            out.printf(Locale.ROOT, "%-26s %-17s %-17s %,10d%n", p.name(), p.from(), p.to(), p.rows());
            total += p.rows();
        }
        out.printf(Locale.ROOT, "%-62s %,10d%n", partitions.size() + " partitions", total);
    }
}
