package dev.autopartition.bench;

import dev.autopartition.AutoPartition;
import dev.autopartition.AutoPartitionSpec;
import dev.autopartition.MaintenanceReport;
import dev.autopartition.Plan;
import dev.autopartition.TableName;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Figures 3 and 4: the cost of maintenance over many tables with many partitions, next to pg_partman where the
 * server has it, and the cost of planning as partitions grow (it should grow with tables, not partitions).
 */
final class MaintenanceBench {
    private final Db db;
    private final Results results;

    MaintenanceBench(Db db, Results results) {
        this.db = db;
        this.results = results;
    }

    /** {@code tables} tables with {@code days} daily partitions each, ending on the 31st of January 2022. */
    private void create(String prefix, int tables, int days) {
        for (int t = 0; t < tables; t++) {
            String table = prefix + String.format(java.util.Locale.ROOT, "%03d", t);
            db.execute(
                    "DROP TABLE IF EXISTS " + table + " CASCADE",
                    "CREATE TABLE " + table + " (ts timestamptz NOT NULL, v int) PARTITION BY RANGE (ts)",
                    "DO $$ BEGIN FOR d IN 0.." + (days - 1) + " LOOP EXECUTE format('CREATE TABLE %I PARTITION OF %I"
                            + " FOR VALUES FROM (%L) TO (%L)', '" + table + "_' || d, '" + table + "',"
                            + " '2022-02-01 00:00+00'::timestamptz - (d + 1) * interval '1 day',"
                            + " '2022-02-01 00:00+00'::timestamptz - d * interval '1 day'); END LOOP; END $$");
        }
    }

    private AutoPartition engine(String instant, CountingDataSource counting) {
        return AutoPartition.configure(counting)
                .clock(Clock.fixed(Instant.parse(instant), ZoneOffset.UTC))
                .build();
    }

    private void declare(String prefix, int tables) {
        AutoPartition ap = engine("2022-01-30T12:00:00Z", new CountingDataSource(db.dataSource()));
        for (int t = 0; t < tables; t++) {
            ap.autoPartition(AutoPartitionSpec.builder(
                            TableName.of(prefix + String.format(java.util.Locale.ROOT, "%03d", t)), "ts")
                    .increment("1 day")
                    .minimumAdvancePartitions(1)
                    .maximumAdvancePartitions(1)
                    .build());
        }
    }

    void maintenance() {
        System.out.println("creating 100 tables x 365 daily partitions ...");
        db.execute("DROP SCHEMA IF EXISTS autopartition CASCADE");
        create("m_", 100, 365);
        declare("m_", 100);
        CountingDataSource counting = new CountingDataSource(db.dataSource());
        AutoPartition steady = engine("2022-01-30T12:00:00Z", counting);
        steady.maintain(); // warm up the connection and the catalog check
        List<Double> times = new ArrayList<>();
        for (int i = 0; i < 7; i++) {
            times.add(Db.seconds(steady::maintain));
        }
        double median = median(times);
        results.add(
                "3. maintenance",
                "100 tables x 365 partitions, nothing due",
                Results.fmt(median * 1000, 1) + " ms",
                "",
                "median of 7 runs; target at most 250 ms");
        AutoPartition due = engine("2022-01-31T12:00:00Z", counting);
        double[] created = new double[1];
        double dueSeconds = Db.seconds(() -> {
            MaintenanceReport report = due.maintain();
            created[0] = report.created();
        });
        results.add(
                "3. maintenance",
                "100 tables x 365 partitions, one due per table",
                Results.fmt(dueSeconds * 1000, 1) + " ms",
                "",
                Results.fmt(created[0], 0) + " partitions created (standalone + CHECK + ATTACH, each"
                        + " behind lock_timeout)");
        partman(median);
    }

    private void partman(double ours) {
        if (db.number("SELECT count(*) FROM pg_available_extensions WHERE name = 'pg_partman'") == 0) {
            results.note("pg_partman comparison skipped: this server has no pg_partman (the embedded PostgreSQL"
                    + " ships without extensions). Run with --url against a server that has it, e.g. Debian's"
                    + " postgresql-15-partman, to get the side-by-side figure.");
            return;
        }
        db.execute(
                "DROP SCHEMA IF EXISTS partman CASCADE",
                "CREATE SCHEMA partman",
                "CREATE EXTENSION IF NOT EXISTS pg_partman SCHEMA partman");
        String version = db.text("SELECT extversion FROM pg_extension WHERE extname = 'pg_partman'");
        System.out.println("creating 100 pg_partman sets of 365 daily partitions (pg_partman " + version + ") ...");
        for (int t = 0; t < 100; t++) {
            String table = "public.pm_" + String.format(java.util.Locale.ROOT, "%03d", t);
            db.execute(
                    "DROP TABLE IF EXISTS " + table + " CASCADE",
                    "CREATE TABLE " + table + " (ts timestamptz NOT NULL, v int) PARTITION BY RANGE (ts)",
                    version.startsWith("4")
                            ? "SELECT partman.create_parent('" + table + "', 'ts', 'native', 'daily', p_premake := 364)"
                            : "SELECT partman.create_parent('" + table + "', 'ts', '1 day', p_premake := 364)");
        }
        db.execute("SELECT partman.run_maintenance(p_analyze := false)");
        List<Double> times = new ArrayList<>();
        for (int i = 0; i < 7; i++) {
            times.add(Db.seconds(() -> db.execute("SELECT partman.run_maintenance(p_analyze := false)")));
        }
        double partman = median(times);
        results.add(
                "3. maintenance",
                "pg_partman " + version + " run_maintenance(), same shape, nothing due",
                Results.fmt(partman * 1000, 1) + " ms",
                Results.fmt(partman / ours, 2),
                "ratio: pg_partman time / autopartition time; target at least 5");
    }

    void planning() {
        System.out.println("creating tables for the planning figures ...");
        db.execute("DROP SCHEMA IF EXISTS autopartition CASCADE");
        for (int[] shape : new int[][] {{1, 100}, {1, 10_000}, {100, 100}}) {
            String prefix = "p" + shape[0] + "x" + shape[1] + "_";
            create(prefix, shape[0], shape[1]);
            declare(prefix, shape[0]);
        }
        for (int[] shape : new int[][] {{1, 100}, {1, 10_000}, {100, 100}}) {
            String prefix = "p" + shape[0] + "x" + shape[1] + "_";
            CountingDataSource counting = new CountingDataSource(db.dataSource());
            AutoPartition ap = engine("2022-01-30T12:00:00Z", counting);
            List<Double> times = new ArrayList<>();
            long queries = 0;
            for (int i = 0; i < 5; i++) {
                long before = counting.statements.get();
                List<TableName> tables = new ArrayList<>();
                for (int t = 0; t < shape[0]; t++) {
                    tables.add(TableName.of(prefix + String.format(java.util.Locale.ROOT, "%03d", t)));
                }
                long start = System.nanoTime();
                Plan plan = shape[0] == 1 ? ap.plan(tables.get(0)) : ap.plan();
                times.add((System.nanoTime() - start) / 1e9);
                queries = counting.statements.get() - before;
                if (!plan.isEmpty() && i == 0) {
                    results.note("planning " + prefix + ": unexpected work planned: "
                            + plan.steps().size());
                }
            }
            results.add(
                    "4. planning",
                    shape[0] + " table(s) x " + shape[1] + " partitions (" + shape[0] * shape[1] + " in all)",
                    Results.fmt(median(times) * 1000, 1) + " ms",
                    "",
                    queries + " statements per plan()" + (shape[0] == 1 ? " (one table)" : " (all tables)"));
        }
        results.note("plan() reads every managed table's partitions in one query; the statements per plan() stay"
                + " the same from 100 to 10,000 partitions.");
    }

    private static double median(List<Double> values) {
        List<Double> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        return sorted.get(sorted.size() / 2);
    }
}
