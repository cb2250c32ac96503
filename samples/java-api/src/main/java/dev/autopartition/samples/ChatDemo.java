package dev.autopartition.samples;

import dev.autopartition.AutoPartition;
import dev.autopartition.AutoPartitionSpec;
import dev.autopartition.MaintenanceReport;
import dev.autopartition.Plan;
import dev.autopartition.TableName;
import dev.autopartition.TableReport;
import dev.autopartition.TableStatus;
import dev.autopartition.testing.PostgresServer;
import dev.autopartition.testing.TestDatabase;
import java.io.PrintStream;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import javax.sql.DataSource;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * The demo behind the README's first command: the chat application's {@code chat_messages} table declared as
 * auto-partitioned by day, loaded with the reference workload, maintained, and listed partition by partition.
 *
 * <p>It runs on an embedded PostgreSQL unless {@code -Dautopartition.demo.url=jdbc:postgresql://...} (with {@code
 * autopartition.demo.user} and {@code autopartition.demo.password}) names a server; {@code -Dscale=0.1} loads a
 * tenth of the rows. The clock is fixed at the workload's last day so the output is the same on every run.
 */
public final class ChatDemo {
    /** The demo's "now": the last day of the reference workload. */
    public static final Instant NOW = Instant.parse("2022-01-31T12:00:00Z");

    private static final TableName CHAT_MESSAGES = TableName.of("chat_messages");

    /** One partition in the listing. */
    public record PartitionRows(String name, String from, String to, long rows) {}

    private ChatDemo() {}

    public static void main(String[] args) throws SQLException {
        double scale = Double.parseDouble(System.getProperty("scale", "1"));
        String url = System.getProperty("autopartition.demo.url");
        if (url != null && !url.isBlank()) {
            PGSimpleDataSource dataSource = new PGSimpleDataSource();
            dataSource.setUrl(url);
            dataSource.setUser(System.getProperty("autopartition.demo.user", "postgres"));
            dataSource.setPassword(System.getProperty("autopartition.demo.password", ""));
            run(dataSource, System.out, scale, "PostgreSQL at " + url.replaceAll("\\?.*", ""));
            return;
        }
        try (TestDatabase database = PostgresServer.shared().createDatabase("chat_demo")) {
            run(
                    database.dataSource(),
                    System.out,
                    scale,
                    "an embedded PostgreSQL " + database.server().majorVersion());
        }
    }

    /** Runs the demo and returns the partition listing it printed. */
    public static List<PartitionRows> run(DataSource dataSource, PrintStream out, double scale, String where)
            throws SQLException {
        out.printf(Locale.ROOT, "autopartition demo: the chat application (scale %s) on %s%n", scale, where);
        createPlainTables(dataSource);
        DemoClock clock = new DemoClock(NOW);
        AutoPartition autoPartition =
                AutoPartition.configure(dataSource).clock(clock).build();

        // tag::declare[]
        TableReport declared = autoPartition.autoPartition(AutoPartitionSpec.builder(CHAT_MESSAGES, "created_at")
                .increment("1 day")
                .initialLowerBound("2022-01-01")
                .minimumAdvancePartitions(2)
                .maximumAdvancePartitions(5)
                .retention("90 days")
                .build());
        // end::declare[]
        out.printf(
                Locale.ROOT,
                "declared %s auto-partitioned by day on created_at (UTC), 2 to 5 partitions ahead,"
                        + " 90 days retention: %d partitions created%n",
                CHAT_MESSAGES,
                declared.created().size());

        long started = System.nanoTime();
        long messages = load(dataSource, scale);
        out.printf(Locale.ROOT, "loaded %,d messages in %.1f s%n", messages, (System.nanoTime() - started) / 1e9);

        clock.now = Instant.parse("2022-02-04T12:00:00Z");
        // tag::maintain[]
        MaintenanceReport report = autoPartition.maintain();
        // end::maintain[]
        out.printf(
                Locale.ROOT,
                "the clock moves to %s; maintenance: %d created, %d removed, in %d ms%n",
                clock.now,
                report.created(),
                report.removed(),
                report.duration().toMillis());

        List<PartitionRows> partitions = partitions(dataSource);
        print(out, partitions);
        for (TableStatus status : autoPartition.status()) {
            out.printf(
                    Locale.ROOT,
                    "status of %s: %d partitions, %d ahead of the current one, from %s to %s%n",
                    status.table(),
                    status.partitions(),
                    status.advancePartitions(),
                    status.oldestBound(),
                    status.newestBound());
        }
        Plan next = autoPartition.plan();
        out.println(
                next.isEmpty()
                        ? "next maintenance run: nothing to do"
                        : "next maintenance run would:\n" + next.toSql());
        return partitions;
    }

    private static void createPlainTables(DataSource dataSource) throws SQLException {
        try (Connection c = dataSource.getConnection();
                Statement st = c.createStatement()) {
            st.execute("DROP TABLE IF EXISTS chat_messages, chats CASCADE");
            st.execute("DROP SCHEMA IF EXISTS autopartition CASCADE");
            st.execute("CREATE TABLE chats (id bigserial PRIMARY KEY, created_at timestamptz NOT NULL DEFAULT now())");
            st.execute("""
                    CREATE TABLE chat_messages (
                      id bigserial PRIMARY KEY,
                      created_at timestamptz NOT NULL,
                      chat_id bigint NOT NULL REFERENCES chats (id),
                      chat_created_at timestamptz NOT NULL,
                      message text NOT NULL)""");
            st.execute("CREATE INDEX ON chat_messages (created_at)");
        }
    }

    /** The reference workload's data (../shared/workload/load.sql) at a scale. */
    private static long load(DataSource dataSource, double scale) throws SQLException {
        try (Connection c = dataSource.getConnection();
                Statement st = c.createStatement()) {
            st.execute("SELECT setseed(0.42)");
            st.execute("""
                    INSERT INTO chats (created_at)
                    SELECT generate_series('2022-01-01 00:00+00'::timestamptz,
                                           '2022-01-31 00:00+00'::timestamptz - interval '1 hour' / {scale},
                                           interval '1 hour' / {scale})""".replace("{scale}", Double.toString(scale)));
            return st.executeUpdate("""
                    INSERT INTO chat_messages (created_at, chat_id, chat_created_at, message)
                    SELECT t, c.id, c.created_at,
                           (ARRAY['hello', 'goodbye', 'I would like a sandwich please'])[1 + floor(random() * 3)::int]
                      FROM chats c
                     CROSS JOIN LATERAL generate_series(c.created_at, c.created_at + interval '1 day',
                                                        interval '1 minute') AS t""");
        }
    }

    /** Every partition of chat_messages with its bounds and its exact row count. */
    public static List<PartitionRows> partitions(DataSource dataSource) throws SQLException {
        String sql = """
                SELECT c.relname,
                       to_char(lower_bound AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI'),
                       to_char(upper_bound AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI'),
                       (SELECT count(*) FROM chat_messages m WHERE m.tableoid = c.oid)
                  FROM pg_inherits i
                  JOIN pg_class c ON c.oid = i.inhrelid
                 CROSS JOIN LATERAL (SELECT regexp_match(pg_get_expr(c.relpartbound, c.oid),
                                     'FROM \\(''(.*)''\\) TO \\(''(.*)''\\)') AS m) r
                 CROSS JOIN LATERAL (SELECT r.m[1]::timestamptz AS lower_bound, r.m[2]::timestamptz AS upper_bound) b
                 WHERE i.inhparent = 'chat_messages'::regclass
                 ORDER BY lower_bound""";
        List<PartitionRows> rows = new ArrayList<>();
        try (Connection c = dataSource.getConnection();
                Statement st = c.createStatement();
                ResultSet rs = st.executeQuery(sql)) {
            while (rs.next()) {
                rows.add(new PartitionRows(rs.getString(1), rs.getString(2), rs.getString(3), rs.getLong(4)));
            }
        }
        return rows;
    }

    private static void print(PrintStream out, List<PartitionRows> partitions) {
        out.printf(
                Locale.ROOT,
                "%n%-26s %-17s %-17s %10s%n",
                "partition of chat_messages",
                "from (UTC)",
                "to (UTC)",
                "rows");
        long total = 0;
        for (PartitionRows p : partitions) {
            out.printf(Locale.ROOT, "%-26s %-17s %-17s %,10d%n", p.name(), p.from(), p.to(), p.rows());
            total += p.rows();
        }
        out.printf(Locale.ROOT, "%-62s %,10d%n%n", partitions.size() + " partitions", total);
    }

    /** A clock the demo moves forward by hand. */
    private static final class DemoClock extends Clock {
        volatile Instant now;

        DemoClock(Instant now) {
            this.now = now;
        }

        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }
}
