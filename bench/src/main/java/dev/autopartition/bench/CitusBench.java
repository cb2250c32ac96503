package dev.autopartition.bench;

import dev.autopartition.AutoPartition;
import dev.autopartition.AutoPartitionSpec;
import dev.autopartition.MaintenanceReport;
import dev.autopartition.TableName;
import dev.autopartition.testing.CitusServer;
import dev.autopartition.testing.TestDatabase;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Figure 6: maintenance of 100 distributed tables on a three-node Citus cluster (started here, from the system's
 * PostgreSQL 15 with Citus installed), against Citus's own {@code create_time_partitions} and
 * {@code drop_old_time_partitions} on 100 tables of the same shape, in the same run. A writer inserts into the tables
 * through the coordinator meanwhile; its slowest insert shows what each side's locks cost the application.
 */
final class CitusBench {
    private static final int TABLES = 100;
    private static final int RUNS = 5;

    private final Results results;

    CitusBench(Results results) {
        this.results = results;
    }

    void run() throws SQLException {
        String unavailable = CitusServer.unavailableReason();
        if (unavailable != null) {
            results.note("Citus comparison skipped: " + unavailable + ".");
            System.out.println("Citus comparison skipped: " + unavailable);
            return;
        }
        System.out.println("starting a Citus cluster (coordinator and two workers) ...");
        try (TestDatabase database = CitusServer.shared().createDatabase("bench_citus")) {
            Db db = new Db(database.dataSource());
            String version = db.text("SELECT extversion FROM pg_extension WHERE extname = 'citus'");
            System.out.println("creating 2 x " + TABLES + " distributed tables x 8 daily partitions (Citus " + version
                    + ", " + db.number("SELECT count(*) FROM citus_get_active_worker_nodes()") + " workers) ...");
            for (int t = 0; t < TABLES; t++) {
                create(db, ours(t));
                create(db, theirs(t));
            }
            AutoPartition declaring = engine(db, "2022-01-30T12:00:00Z");
            for (int t = 0; t < TABLES; t++) {
                declaring.autoPartition(AutoPartitionSpec.builder(TableName.of(ours(t)), "ts")
                        .increment("1 day")
                        .minimumAdvancePartitions(1)
                        .maximumAdvancePartitions(1)
                        .retention("6 days")
                        .build());
            }
            compare(db, version);
        }
    }

    private static String ours(int t) {
        return "c_" + String.format(Locale.ROOT, "%03d", t);
    }

    private static String theirs(int t) {
        return "z_" + String.format(Locale.ROOT, "%03d", t);
    }

    /** Daily partitions for the 24th to the 31st of January 2022, created locally, then distributed together. */
    private static void create(Db db, String table) {
        db.execute(
                "CREATE TABLE " + table + " (tenant_id bigint NOT NULL, ts timestamptz NOT NULL, v int)"
                        + " PARTITION BY RANGE (ts)",
                "DO $$ BEGIN FOR d IN 24..31 LOOP EXECUTE format('CREATE TABLE %I PARTITION OF %I FOR VALUES FROM (%L)"
                        + " TO (%L)', '" + table + "_p202201' || d, '" + table + "',"
                        + " '2022-01-01 00:00+00'::timestamptz + (d - 1) * interval '1 day',"
                        + " '2022-01-01 00:00+00'::timestamptz + d * interval '1 day'); END LOOP; END $$",
                "SELECT create_distributed_table('" + table + "', 'tenant_id')");
    }

    private static AutoPartition engine(Db db, String instant) {
        return AutoPartition.configure(db.dataSource())
                .clock(Clock.fixed(Instant.parse(instant), ZoneOffset.UTC))
                .build();
    }

    private void compare(Db db, String version) throws SQLException {
        AutoPartition steady = engine(db, "2022-01-30T12:00:00Z");
        steady.maintain(); // warm up
        List<Double> oursSteady = new ArrayList<>();
        List<Double> theirsSteady = new ArrayList<>();
        try (Connection c = db.dataSource().getConnection();
                Statement st = c.createStatement()) {
            citusPass(st, "2022-02-01", "2022-01-30", "2022-01-24 12:00+00"); // warm up
            for (int i = 0; i < RUNS; i++) {
                oursSteady.add(Db.seconds(steady::maintain));
                theirsSteady.add(seconds(() -> citusPass(st, "2022-02-01", "2022-01-30", "2022-01-24 12:00+00")));
            }
            double ours = median(oursSteady);
            double theirs = median(theirsSteady);
            results.add(
                    "6. Citus",
                    TABLES + " distributed tables x 8 partitions, nothing due: autopartition maintain()",
                    Results.fmt(ours * 1000, 1) + " ms",
                    "",
                    "median of " + RUNS + " runs; coordinator and 2 workers, 4 shards per table");
            results.add(
                    "6. Citus",
                    "same, Citus " + version + " create_time_partitions + drop_old_time_partitions per table",
                    Results.fmt(theirs * 1000, 1) + " ms",
                    Results.fmt(theirs / ours, 2),
                    "ratio: Citus functions' time / autopartition's");

            AutoPartition due = engine(db, "2022-01-31T12:00:00Z");
            long[] changed = new long[2];
            Writer oursWriter = new Writer(db, "c_");
            double oursDue = oursWriter.during(() -> {
                MaintenanceReport report = due.maintain();
                changed[0] = report.created();
                changed[1] = report.removed();
                if (report.hasErrors()) {
                    throw new IllegalStateException(report.toString());
                }
            });
            Writer theirsWriter = new Writer(db, "z_");
            double theirsDue =
                    theirsWriter.during(() -> citusPass(st, "2022-02-02", "2022-01-31", "2022-01-25 12:00+00"));
            long theirCreated = db.number("SELECT count(*) FROM pg_inherits i JOIN pg_class p ON p.oid = i.inhparent"
                    + " JOIN pg_class c ON c.oid = i.inhrelid WHERE p.relname LIKE 'z\\_%'"
                    + " AND pg_get_expr(c.relpartbound, c.oid) LIKE 'FOR VALUES FROM (''2022-02-01%'");
            results.add(
                    "6. Citus",
                    TABLES + " distributed tables, one partition due and one past retention per table: autopartition",
                    Results.fmt(oursDue * 1000, 1) + " ms",
                    "",
                    changed[0] + " created, " + changed[1] + " dropped (standalone + ATTACH, plain DETACH; behind"
                            + " lock_timeout on every node); writer's slowest insert "
                            + Results.fmt(oursWriter.slowestMillis(), 1) + " ms");
            results.add(
                    "6. Citus",
                    "same, Citus create_time_partitions + drop_old_time_partitions",
                    Results.fmt(theirsDue * 1000, 1) + " ms",
                    Results.fmt(theirsDue / oursDue, 2),
                    theirCreated + " created (CREATE TABLE ... PARTITION OF: ACCESS EXCLUSIVE on the parent), "
                            + TABLES + " dropped; writer's slowest insert "
                            + Results.fmt(theirsWriter.slowestMillis(), 1) + " ms");
            long shardsOurs = db.number("SELECT count(DISTINCT nodeport) FROM citus_shards"
                    + " WHERE table_name::text LIKE 'c\\_%\\_p20220201'");
            results.note("Citus comparison: every partition autopartition created is distributed with shards on "
                    + shardsOurs + " workers; ratios above 1 mean autopartition is faster.");
        }
    }

    /** One maintenance pass of Citus's functions over the hundred tables. */
    private static void citusPass(Statement st, String endAt, String startFrom, String olderThan) {
        try {
            for (int t = 0; t < TABLES; t++) {
                st.execute("SELECT create_time_partitions('" + theirs(t) + "', '1 day', '" + endAt + " 00:00+00', '"
                        + startFrom + " 00:00+00')");
                st.execute("CALL drop_old_time_partitions('" + theirs(t) + "', '" + olderThan + "')");
            }
        } catch (SQLException e) {
            throw new IllegalStateException("Citus's partition functions failed: " + e.getMessage(), e);
        }
    }

    private interface SqlWork {
        void run() throws SQLException;
    }

    private static double seconds(SqlWork work) {
        return Db.seconds(() -> {
            try {
                work.run();
            } catch (SQLException e) {
                throw new IllegalStateException(e.getMessage(), e);
            }
        });
    }

    private static double median(List<Double> values) {
        List<Double> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        return sorted.get(sorted.size() / 2);
    }

    /** Inserts into the tables of one side, round robin, while the work runs; remembers the slowest insert. */
    private static final class Writer {
        private final Db db;
        private final String prefix;
        private final AtomicLong slowestNanos = new AtomicLong();

        Writer(Db db, String prefix) {
            this.db = db;
            this.prefix = prefix;
        }

        double during(Runnable work) {
            AtomicBoolean stop = new AtomicBoolean();
            Thread thread = new Thread(() -> write(stop), "citus-bench-writer");
            thread.start();
            try {
                return Db.seconds(work);
            } finally {
                stop.set(true);
                try {
                    thread.join();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }

        private void write(AtomicBoolean stop) {
            try (Connection c = db.dataSource().getConnection();
                    Statement st = c.createStatement()) {
                for (int i = 0; !stop.get(); i++) {
                    long start = System.nanoTime();
                    st.executeUpdate("INSERT INTO " + prefix + String.format(Locale.ROOT, "%03d", i % TABLES)
                            + " VALUES (" + i + ", '2022-01-30 10:00+00', 1)");
                    slowestNanos.accumulateAndGet(System.nanoTime() - start, Math::max);
                }
            } catch (SQLException e) {
                throw new IllegalStateException("the writer failed: " + e.getMessage(), e);
            }
        }

        double slowestMillis() {
            return slowestNanos.get() / 1e6;
        }
    }
}
