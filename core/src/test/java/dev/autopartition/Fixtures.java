package dev.autopartition;

import dev.autopartition.testing.PostgresExtension;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/** Helpers for integration tests: a clock tests move by hand, and catalog queries. */
final class Fixtures {
    private Fixtures() {}

    /** A clock that stays where a test puts it. */
    static final class MovableClock extends Clock {
        private volatile Instant now;

        MovableClock(String instant) {
            this.now = Instant.parse(instant);
        }

        void set(String instant) {
            now = Instant.parse(instant);
        }

        synchronized void advance(java.time.Duration duration) {
            now = now.plus(duration);
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

    /** The partitions of a table with their bounds, as {@code name: bound} lines, ordered by bound. */
    static List<String> partitions(PostgresExtension pg, String table) {
        return strings(pg, """
                SELECT c.relname || ': ' || pg_get_expr(c.relpartbound, c.oid)
                  FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
                 WHERE i.inhparent = '%s'::regclass
                 ORDER BY pg_get_expr(c.relpartbound, c.oid) = 'DEFAULT', c.relname
                """.replace("%s", table.replace("'", "''")));
    }

    /** The partition names of a table, ordered. */
    static List<String> partitionNames(PostgresExtension pg, String table) {
        return strings(pg, """
                SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
                 WHERE i.inhparent = '%s'::regclass ORDER BY c.relname
                """.replace("%s", table.replace("'", "''")));
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    static List<String> strings(PostgresExtension pg, String sql) {
        List<String> result = new ArrayList<>();
        try (Connection c = pg.connection();
                Statement st = c.createStatement()) {
            st.execute("SET TimeZone = 'UTC'");
            try (ResultSet rs = st.executeQuery(sql)) {
                while (rs.next()) {
                    result.add(rs.getString(1));
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException(sql + ": " + e.getMessage(), e);
        }
        return result;
    }

    static @Nullable String string(PostgresExtension pg, String sql) {
        List<String> rows = strings(pg, sql);
        return rows.isEmpty() ? null : rows.get(0);
    }

    static long number(PostgresExtension pg, String sql) {
        String value = string(pg, sql);
        return value == null ? 0 : Long.parseLong(value);
    }
}
