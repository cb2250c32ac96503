package dev.autopartition.flyway;

import dev.autopartition.testing.PostgresExtension;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.configuration.FluentConfiguration;
import org.jspecify.annotations.Nullable;

/** Helpers for the integration tests: Flyway configured for the test database, and catalog queries. */
final class Db {
    private Db() {}

    /** Flyway on the test database with the given locations and the fixed clock {@code now}. */
    static FluentConfiguration flyway(PostgresExtension pg, String now, String... locations) {
        return Flyway.configure()
                .dataSource(
                        pg.database().jdbcUrl(),
                        pg.database().user(),
                        pg.database().password())
                .locations(locations)
                .placeholders(Map.of("autopartition.now", now))
                .cleanDisabled(true);
    }

    /** Flyway's PostgreSQL transactional lock switched off (needs Jackson on Flyway 12+, see the pom). */
    static FluentConfiguration withoutTransactionalLock(FluentConfiguration configuration) {
        return configuration.configuration(Map.of("flyway.postgresql.transactional.lock", "false"));
    }

    /** The partitions of a table as {@code name: bound} lines, ordered by name (the default partition last). */
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

    /** Names of the partitions whose concurrent detach is pending. */
    static List<String> pendingDetaches(PostgresExtension pg, String table) {
        return strings(pg, """
                SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
                 WHERE i.inhparent = '%s'::regclass AND i.inhdetachpending ORDER BY c.relname
                """.replace("%s", table.replace("'", "''")));
    }

    /** Whether a relation exists. */
    static boolean exists(PostgresExtension pg, String relation) {
        return "t".equals(string(pg, "SELECT to_regclass('" + relation.replace("'", "''") + "') IS NOT NULL"));
    }

    /** Whether a schema exists. */
    static boolean schemaExists(PostgresExtension pg, String schema) {
        return "t"
                .equals(string(
                        pg,
                        "SELECT EXISTS (SELECT 1 FROM pg_namespace WHERE nspname = '" + schema.replace("'", "''")
                                + "')"));
    }

    /** The relkind of a relation ({@code r} plain, {@code p} partitioned), or null. */
    static @Nullable String relkind(PostgresExtension pg, String relation) {
        return string(
                pg, "SELECT relkind FROM pg_class WHERE oid = to_regclass('" + relation.replace("'", "''") + "')");
    }

    /**
     * Leaves a concurrent detach of {@code partition} pending, as a killed or cancelled {@code DETACH ... CONCURRENTLY}
     * does: a reader holds a lock on the parent while the detach waits for it, and the detach is cancelled.
     */
    static void leaveDetachPending(PostgresExtension pg, String parent, String partition) {
        try (Connection reader = pg.connection();
                Connection detacher = pg.connection();
                Statement r = reader.createStatement();
                Statement d = detacher.createStatement()) {
            reader.setAutoCommit(false);
            r.execute("SELECT count(*) FROM " + parent);
            d.execute("SET statement_timeout = '500ms'");
            try {
                d.execute("ALTER TABLE " + parent + " DETACH PARTITION " + partition + " CONCURRENTLY");
                throw new IllegalStateException("the detach of " + partition + " did not wait for the reader");
            } catch (SQLException expected) {
                // cancelled while waiting for the reader: the first transaction committed, the detach is pending
            }
            reader.rollback();
        } catch (SQLException e) {
            throw new IllegalStateException(e.getMessage(), e);
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

    /** The messages of an exception and all its causes, joined; Flyway wraps what migrations throw. */
    static String messages(Throwable t) {
        StringBuilder out = new StringBuilder();
        for (Throwable c = t; c != null; c = c.getCause()) {
            out.append(c.getMessage()).append('\n');
        }
        return out.toString();
    }
}
