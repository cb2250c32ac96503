package dev.autopartition.cli;

import dev.autopartition.testing.PostgresExtension;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.jspecify.annotations.Nullable;

/** Small queries the tests check the database with. */
final class Db {
    private Db() {}

    static @Nullable String string(PostgresExtension pg, String sql) {
        try (Connection c = pg.connection();
                Statement st = c.createStatement();
                ResultSet rs = st.executeQuery(sql)) {
            return rs.next() ? rs.getString(1) : null;
        } catch (SQLException e) {
            throw new IllegalStateException(sql + ": " + e.getMessage(), e);
        }
    }

    static long number(PostgresExtension pg, String sql) {
        String value = string(pg, sql);
        return value == null ? 0 : Long.parseLong(value);
    }

    /** {@code r} for a plain table, {@code p} for a partitioned one, null when there is none. */
    static @Nullable String relkind(PostgresExtension pg, String table) {
        return string(pg, "SELECT relkind::text FROM pg_class WHERE oid = to_regclass('" + table + "')");
    }

    /** Rows that differ between two tables with the same columns, in either direction. */
    static long differences(PostgresExtension pg, String a, String b) {
        return number(
                pg,
                "SELECT (SELECT count(*) FROM (TABLE " + a + " EXCEPT ALL TABLE " + b + ") x)"
                        + " + (SELECT count(*) FROM (TABLE " + b + " EXCEPT ALL TABLE " + a + ") y)");
    }
}
