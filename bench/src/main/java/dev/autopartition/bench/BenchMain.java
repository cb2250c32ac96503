package dev.autopartition.bench;

import dev.autopartition.testing.PostgresServer;
import dev.autopartition.testing.Standby;
import dev.autopartition.testing.TestDatabase;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import javax.sql.DataSource;
import org.jspecify.annotations.Nullable;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * One command, one table of results:
 *
 * <pre>
 * ./mvnw -q -Pbench -DskipTests verify -pl bench -am -Dbench.args="--scales 1"
 * </pre>
 *
 * Options: {@code --scales 1,10} (migration figures per scale), {@code --no-impact}, {@code --only
 * migration|replay|maintenance|planning|citus}, {@code --url jdbc:postgresql://... --user u --password p} (default: an embedded
 * PostgreSQL), {@code --out dir} (default {@code bench/target/bench}).
 */
public final class BenchMain {
    private BenchMain() {}

    public static void main(String[] args) throws Exception {
        List<Double> scales = new ArrayList<>(List.of(1.0));
        String url = null;
        String user = "postgres";
        String password = "";
        String only = "";
        boolean impact = true;
        Path out = Path.of("target", "bench");
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--scales" -> {
                    scales.clear();
                    for (String s : args[++i].split(",")) {
                        scales.add(Double.parseDouble(s));
                    }
                }
                case "--url" -> url = args[++i];
                case "--user" -> user = args[++i];
                case "--password" -> password = args[++i];
                case "--only" -> only = args[++i];
                case "--no-impact" -> impact = false;
                case "--methods" -> System.setProperty("bench.methods", args[++i]);
                case "--out" -> out = Path.of(args[++i]);
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        if (url != null) {
            PGSimpleDataSource dataSource = new PGSimpleDataSource();
            dataSource.setUrl(url);
            dataSource.setUser(user);
            dataSource.setPassword(password);
            run(dataSource, null, scales, only, impact, out, url.replaceAll("\\?.*", ""));
        } else {
            try (TestDatabase database = PostgresServer.shared().createDatabase("bench");
                    Standby standby = standby(only, database)) {
                run(
                        database.dataSource(),
                        standby == null ? null : standby.dataSource("postgres"),
                        scales,
                        only,
                        impact,
                        out,
                        "embedded PostgreSQL" + (standby == null ? "" : " with a streaming " + standby));
            }
        }
    }

    /** A hot standby for the migration figures, which report its replay lag; null where none can be built. */
    private static @Nullable Standby standby(String only, TestDatabase database) {
        if (!only.isEmpty() && !only.equals("migration")) {
            return null;
        }
        try {
            return Standby.start(database.server());
        } catch (IllegalStateException e) {
            System.out.println("no standby, so no standby lag: " + e.getMessage());
            return null;
        }
    }

    private static void run(
            DataSource dataSource,
            @Nullable DataSource standby,
            List<Double> scales,
            String only,
            boolean impact,
            Path out,
            String where)
            throws Exception {
        Db db = new Db(dataSource);
        String version = db.text("SELECT version()");
        String settings = db.text("SELECT string_agg(name || '=' || setting, ', ' ORDER BY name) FROM pg_settings"
                + " WHERE name IN ('shared_buffers', 'work_mem', 'maintenance_work_mem', 'fsync', 'synchronous_commit',"
                + " 'max_wal_size', 'full_page_writes')");
        String header = String.format(
                Locale.ROOT,
                "# autopartition benchmark%n%n- server: %s (%s)%n- settings: %s%n"
                        + "- machine: %d cores, Java %s%n- ratio column: against the raw ceiling (migration),"
                        + " against the application alone (impact, p99), pg_partman time over ours (maintenance)",
                where,
                version,
                settings,
                Runtime.getRuntime().availableProcessors(),
                System.getProperty("java.version"));
        System.out.println(header);
        Results results = new Results();
        if (only.isEmpty() || only.equals("migration")) {
            for (double scale : scales) {
                new MigrationBench(db, results, impact, standby).run(scale);
            }
        }
        if (only.isEmpty() || only.equals("replay")) {
            new MigrationBench(db, results, false, null).replay(scales.get(0));
        }
        MaintenanceBench maintenance = new MaintenanceBench(db, results);
        if (only.isEmpty() || only.equals("maintenance")) {
            maintenance.maintenance();
        }
        if (only.isEmpty() || only.equals("planning")) {
            maintenance.planning();
        }
        if (only.isEmpty() || only.equals("citus")) {
            // on its own cluster, whatever --url names: Citus needs a coordinator and workers
            new CitusBench(results).run();
        }
        results.write(out, header);
        System.out.println();
        System.out.println(results.markdown(header));
        System.out.println("written to " + out.toAbsolutePath().resolve("results.md") + " and results.csv");
    }
}
