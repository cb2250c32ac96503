package dev.autopartition.bench;

import dev.autopartition.AutoPartition;
import dev.autopartition.AutoPartitionSpec;
import dev.autopartition.MigrationSpec;
import dev.autopartition.MigrationStatus;
import dev.autopartition.MigrationStrategy;
import dev.autopartition.TableName;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import javax.sql.DataSource;
import org.jspecify.annotations.Nullable;

/**
 * Figures 1 and 2: migration throughput against the raw ceiling and the Supabase article's method, and what the
 * application sees meanwhile. Every method starts from the same fresh copy of the workload.
 */
final class MigrationBench {
    static final Instant NOW = Instant.parse("2022-01-31T12:00:00Z");
    /** The primary's WAL position in bytes: what a method wrote to WAL, which every standby receives and replays. */
    private static final String WAL_POSITION = "SELECT (pg_current_wal_lsn() - '0/0')::bigint";

    private static final String MICROS_NOW = "SELECT (extract(epoch FROM clock_timestamp()) * 1e6)::bigint";
    private final Db db;
    private final Results results;
    private final boolean impact;
    private final @Nullable DataSource standby;

    /**
     * @param standby a hot standby of the server, whose replay lag is reported beside each method; null without one
     */
    MigrationBench(Db db, Results results, boolean impact, @Nullable DataSource standby) {
        this.db = db;
        this.results = results;
        this.impact = impact;
        this.standby = standby;
    }

    void run(double scale) {
        String section = "1. migration, " + (scale == 1 ? "1x" : Results.fmt(scale, 0) + "x");
        System.out.printf(java.util.Locale.ROOT, "loading the workload at scale %s ...%n", scale);
        loadTemplate(scale);
        long rows = db.number("SELECT count(*) FROM tmpl_chat_messages");
        long chats = db.number("SELECT count(*) FROM chats");
        Map<String, Supplier<String>> methods = new LinkedHashMap<>();
        methods.put("raw ceiling: copy into one table, then index", this::ceiling);
        methods.put("Supabase article: per day create/copy/index/attach", this::supabase);
        methods.put(
                "autopartition COPY, old default (pacing off, cutover included)",
                () -> ours(migration()
                        .strategy(MigrationStrategy.COPY)
                        .batchSize(20_000)
                        .pacing(false)));
        // Until the migration asks its pacer before each batch, this row runs at the knobs' pace like the old default.
        methods.put(
                "autopartition COPY, paced (default budget)",
                () -> ours(migration().strategy(MigrationStrategy.COPY).batchSize(20_000)));
        methods.put("autopartition ATTACH (zero copy)", () -> ours(MigrationStrategy.ATTACH));
        methods.put("autopartition COPY, gentle (1 worker, 5,000-row batches, 50 ms pauses)", this::gentle);
        // Fixed paces between the old default and the gentle setting: where the application's p99 meets the copy's rate
        methods.put("autopartition COPY, 1 worker (pacing off)", () -> oneWorker(20_000, 0));
        methods.put("autopartition COPY, 1 worker, 20 ms pauses (pacing off)", () -> oneWorker(20_000, 20));
        Load.Stats baseline = null;
        if (impact) {
            fresh();
            Load load = new Load(db.dataSource(), "chat_messages", 4, 20, chats);
            StandbyLag lag = standby == null ? null : new StandbyLag(standby);
            // As long as a method's run, roughly: a short window misses the rare stalls (a checkpoint, an autovacuum)
            // that every longer run meets, and would set the p99 ratios against too low a baseline.
            sleep(30_000);
            baseline = load.stop();
            String alone = lag == null ? "" : ", standby lag max " + Results.fmt(lag.stop(), 2) + " s";
            results.add(
                    "2. impact, " + section.substring(3),
                    "application alone (4 clients x 50 tx/s)",
                    Results.fmt(baseline.p99(), 1) + " ms p99",
                    "1.00",
                    "p50 " + Results.fmt(baseline.p50(), 1) + " ms, max " + Results.fmt(baseline.max(), 1) + " ms, "
                            + Results.fmt(baseline.perSecond(), 0) + " tx/s" + alone);
        }
        double ceiling = 0;
        double supabase = 0;
        List<String> only = Arrays.stream(System.getProperty("bench.methods", "")
                        .toLowerCase(java.util.Locale.ROOT)
                        .split(","))
                .map(String::strip)
                .filter(m -> !m.isEmpty())
                .toList();
        if (baseline != null) {
            new Frontier(db, results, standby, this::fresh, chats, baseline, "2. impact, " + section.substring(3))
                    .run(only);
        }
        for (Map.Entry<String, Supplier<String>> method : methods.entrySet()) {
            String name = method.getKey().toLowerCase(java.util.Locale.ROOT);
            if (!only.isEmpty() && only.stream().noneMatch(name::contains)) {
                continue;
            }
            fresh();
            Load load = impact ? new Load(db.dataSource(), "chat_messages", 4, 20, chats) : null;
            StandbyLag lag = standby == null ? null : new StandbyLag(standby);
            long walBefore = db.number(WAL_POSITION);
            long start = System.nanoTime();
            String detail = method.getValue().get();
            double seconds = (System.nanoTime() - start) / 1e9;
            double walGigabytes = (db.number(WAL_POSITION) - walBefore) / 1e9;
            Load.Stats stats = load == null ? null : load.stop();
            String lagged = lag == null ? "" : "standby lag max " + Results.fmt(lag.stop(), 2) + " s";
            if (ceiling == 0) {
                ceiling = seconds;
            }
            if (method.getKey().startsWith("Supabase")) {
                supabase = seconds;
            }
            String vsSupabase = supabase > 0
                            && !method.getKey().startsWith("Supabase")
                            && !method.getKey().startsWith("raw")
                    ? "; " + Results.fmt(supabase / seconds, 2) + "x the Supabase rate"
                    : "";
            results.add(
                    section,
                    method.getKey(),
                    Results.fmt(rows / seconds, 0) + " rows/s",
                    Results.fmt(ceiling / seconds, 2),
                    Results.fmt(seconds, 1) + " s for " + Results.fmt((double) rows, 0) + " rows" + vsSupabase
                            + "; WAL " + Results.fmt(walGigabytes, 2) + " GB"
                            + (detail.isEmpty() ? "" : "; " + detail)
                            + (lagged.isEmpty() ? "" : "; " + lagged));
            if (stats != null && baseline != null) {
                results.add(
                        "2. impact, " + section.substring(3),
                        "during: " + method.getKey(),
                        Results.fmt(stats.p99(), 1) + " ms p99",
                        Results.fmt(stats.p99() / baseline.p99(), 2),
                        stats.summary() + (lagged.isEmpty() ? "" : ", " + lagged));
            }
        }
    }

    private void loadTemplate(double scale) {
        db.execute(
                "DROP TABLE IF EXISTS chat_messages, tmpl_chat_messages, chats, ceiling, sb_chat_messages CASCADE",
                "DROP SCHEMA IF EXISTS autopartition CASCADE",
                "SET TimeZone = 'UTC'",
                "CREATE TABLE chats (id bigserial PRIMARY KEY, created_at timestamptz NOT NULL DEFAULT now())",
                "CREATE TABLE tmpl_chat_messages (id bigserial PRIMARY KEY, created_at timestamptz NOT NULL,"
                        + " chat_id bigint NOT NULL, chat_created_at timestamptz NOT NULL, message text NOT NULL)",
                "SELECT setseed(0.42)",
                "INSERT INTO chats (created_at) SELECT generate_series('2022-01-01 00:00+00'::timestamptz,"
                        + " '2022-01-31 00:00+00'::timestamptz - interval '1 hour' / " + scale
                        + ", interval '1 hour' / " + scale + ")",
                "INSERT INTO tmpl_chat_messages (created_at, chat_id, chat_created_at, message) SELECT t, c.id,"
                        + " c.created_at, (ARRAY['hello', 'goodbye', 'I would like a sandwich please'])"
                        + "[1 + floor(random() * 3)::int] FROM chats c CROSS JOIN LATERAL generate_series(c.created_at,"
                        + " c.created_at + interval '1 day', interval '1 minute') AS t",
                "VACUUM ANALYZE chats");
    }

    /** The table every method starts from: the workload's chat_messages with the article's indexes. */
    private void fresh() {
        db.execute(
                "DROP TABLE IF EXISTS chat_messages, chat_messages_retired, chat_messages_legacy, ceiling, sb_chat_messages CASCADE",
                "DROP SCHEMA IF EXISTS autopartition CASCADE",
                "CREATE TABLE chat_messages (id bigserial PRIMARY KEY, created_at timestamptz NOT NULL,"
                        + " chat_id bigint NOT NULL, chat_created_at timestamptz NOT NULL, message text NOT NULL)",
                "INSERT INTO chat_messages SELECT * FROM tmpl_chat_messages",
                "SELECT setval('chat_messages_id_seq', (SELECT max(id) FROM chat_messages))",
                "CREATE INDEX chat_messages_created_at ON chat_messages (created_at)",
                "CREATE INDEX chat_messages_chat ON chat_messages (chat_id, chat_created_at)",
                "VACUUM (FREEZE, ANALYZE) chat_messages",
                "CHECKPOINT");
    }

    private String ceiling() {
        db.execute(
                "CREATE TABLE ceiling (LIKE chat_messages)",
                "INSERT INTO ceiling SELECT * FROM chat_messages",
                "ALTER TABLE ceiling ADD PRIMARY KEY (id, created_at)",
                "CREATE INDEX ON ceiling (created_at)",
                "CREATE INDEX ON ceiling (chat_id, chat_created_at)");
        return "";
    }

    /** The article's procedure, day by day, newest first, each day committed on its own. */
    private String supabase() {
        db.execute(
                "CREATE TABLE sb_chat_messages (LIKE chat_messages INCLUDING DEFAULTS) PARTITION BY RANGE"
                        + " (created_at)",
                "ALTER TABLE sb_chat_messages ADD PRIMARY KEY (id, created_at)",
                "CREATE INDEX sb_created_at ON ONLY sb_chat_messages (created_at)",
                "CREATE INDEX sb_chat ON ONLY sb_chat_messages (chat_id, chat_created_at)");
        for (LocalDate day = LocalDate.of(2022, 1, 31);
                !day.isBefore(LocalDate.of(2022, 1, 1));
                day = day.minusDays(1)) {
            String d = day.toString().replace("-", "");
            String from = "'" + day + "'";
            String to = "'" + day.plusDays(1) + "'";
            db.execute(
                    "CREATE TABLE sb_" + d + " (LIKE sb_chat_messages INCLUDING DEFAULTS INCLUDING CONSTRAINTS)",
                    "INSERT INTO sb_" + d + " (id, created_at, chat_id, chat_created_at, message) SELECT id,"
                            + " created_at, chat_id, chat_created_at, message FROM chat_messages WHERE"
                            + " created_at::date >= " + from + "::date AND created_at::date < " + from
                            + "::date + interval '1 day' ORDER BY chat_id, created_at",
                    "ALTER TABLE sb_" + d + " ADD PRIMARY KEY (id, created_at)",
                    "ALTER TABLE sb_" + d + " ADD CONSTRAINT sb_check_" + d + " CHECK (created_at >= DATE " + from
                            + " AND created_at < DATE " + to + ")",
                    "CREATE INDEX sb_" + d + "_created_at ON sb_" + d + " (created_at) WITH (fillfactor = 100)",
                    "CREATE INDEX sb_" + d + "_chat ON sb_" + d + " (chat_id, chat_created_at) WITH (fillfactor = 100)",
                    "ALTER TABLE sb_chat_messages ATTACH PARTITION sb_" + d + " FOR VALUES FROM (" + from + ") TO ("
                            + to + ")",
                    "ALTER INDEX sb_created_at ATTACH PARTITION sb_" + d + "_created_at",
                    "ALTER INDEX sb_chat ATTACH PARTITION sb_" + d + "_chat",
                    "ALTER TABLE sb_" + d + " DROP CONSTRAINT sb_check_" + d);
        }
        return "no cutover, writes during the copy are lost";
    }

    private String ours(MigrationStrategy strategy) {
        return ours(migration().strategy(strategy).batchSize(20_000).pacing(false));
    }

    /** The same migration tuned to leave the machine to the application: one worker, small batches, pauses. */
    private String gentle() {
        return oneWorker(5_000, 50);
    }

    /** One worker, batches of {@code batchRows}, a fixed pause after each batch, and no pacer. */
    private String oneWorker(int batchRows, long pauseMillis) {
        return ours(migration()
                .strategy(MigrationStrategy.COPY)
                .parallelism(1)
                .pacing(false)
                .batchSize(batchRows)
                .pause(java.time.Duration.ofMillis(pauseMillis)));
    }

    static MigrationSpec.Builder migration() {
        return MigrationSpec.builder(AutoPartitionSpec.builder(TableName.of("chat_messages"), "created_at")
                .increment("1 day")
                .maximumAdvancePartitions(2)
                .build());
    }

    private String ours(MigrationSpec.Builder spec) {
        AutoPartition ap = AutoPartition.configure(db.dataSource())
                .clock(Clock.fixed(NOW, ZoneOffset.UTC))
                .build();
        MigrationStatus status = ap.migrateToPartitioned(spec.build());
        return "cutover lock held "
                + Results.fmt(status.cutoverLockMillis() == null ? 0 : status.cutoverLockMillis(), 1) + " ms";
    }

    /**
     * Figure 5: replay throughput (changed rows per second) at 35, 365 and 1,800 daily partitions, side by side. The
     * same workload is migrated up to VERIFIED with a clock that makes the plan span that many days; then about 40,000
     * changes are made at once (a quarter move messages to another day, a quarter edit them, a quarter delete, a
     * quarter insert) and the time to replay them is measured: from the cutover call to the commit of its locked
     * transaction, which replays what is left; the analyze and rule registration after it are reported apart. The
     * same is done with about 4,000 changes on a log stripped of its partition-key columns, which makes the replay
     * fall back to probing every partition for each key, as before the routed replay.
     */
    void replay(double scale) {
        System.out.printf(java.util.Locale.ROOT, "loading the workload at scale %s for the replay ...%n", scale);
        loadTemplate(scale);
        Map<Integer, Instant> clocks = new LinkedHashMap<>();
        clocks.put(35, Instant.parse("2022-01-31T12:00:00Z"));
        clocks.put(365, Instant.parse("2022-12-30T12:00:00Z"));
        clocks.put(1_800, Instant.parse("2026-12-04T12:00:00Z"));
        for (boolean legacy : List.of(false, true)) {
            double first = 0;
            for (Map.Entry<Integer, Instant> clock : clocks.entrySet()) {
                fresh();
                AutoPartition ap = AutoPartition.configure(db.dataSource())
                        .clock(Clock.fixed(clock.getValue(), ZoneOffset.UTC))
                        .build();
                MigrationStatus verified = ap.migrateToPartitioned(migration()
                        .batchSize(20_000)
                        .pacing(false)
                        .cutover(false)
                        .build());
                int modulo = legacy ? 1_000 : 100;
                db.execute(
                        "UPDATE chat_messages SET created_at = created_at + interval '3 days' WHERE id % " + modulo
                                + " = 1 AND created_at < '2022-01-28'",
                        "UPDATE chat_messages SET message = message || '!' WHERE id % " + modulo + " = 2",
                        "DELETE FROM chat_messages WHERE id % " + modulo + " = 3",
                        "INSERT INTO chat_messages (created_at, chat_id, chat_created_at, message) SELECT created_at"
                                + " + interval '30 seconds', chat_id, chat_created_at, 'new' FROM chat_messages"
                                + " WHERE id % " + modulo + " = 4");
                long id = db.number("SELECT id FROM autopartition.migration WHERE finished_at IS NULL");
                if (legacy) {
                    db.execute("ALTER TABLE autopartition.migration_" + id + "_log DROP COLUMN autopartition_old_key,"
                            + " DROP COLUMN autopartition_new_key");
                }
                long changes = ap.migrationStatus(TableName.of("chat_messages"))
                        .orElseThrow()
                        .backlog();
                long serverStart = db.number(MICROS_NOW);
                long start = System.nanoTime();
                MigrationStatus done = ap.cutover(TableName.of("chat_messages"));
                double total = (System.nanoTime() - start) / 1e9;
                double lockMillis = done.cutoverLockMillis() == null ? 0 : done.cutoverLockMillis();
                // cut_over_at is the start of the cutover's transaction: add the lock it then held to get its commit
                double seconds = (db.number("SELECT (extract(epoch FROM cut_over_at) * 1e6)::bigint"
                                                + " FROM autopartition.migration WHERE id = " + id)
                                        - serverStart)
                                / 1e6
                        + lockMillis / 1e3;
                double rate = changes / seconds;
                if (first == 0) {
                    first = rate;
                }
                results.add(
                        "5. replay, " + (scale == 1 ? "1x" : Results.fmt(scale, 1) + "x"),
                        (legacy ? "replay probing every partition (log without partition keys), " : "routed replay, ")
                                + Results.fmt((double) verified.partitions(), 0) + " partitions",
                        Results.fmt(rate, 0) + " changed rows/s",
                        Results.fmt(rate / first, 2),
                        Results.fmt((double) changes, 0) + " changes replayed and cut over in "
                                + Results.fmt(seconds, 2) + " s; cutover lock held " + Results.fmt(lockMillis, 1)
                                + " ms; then " + Results.fmt(total - seconds, 2)
                                + " s after the cutover (analyze, registering the rule), not counted");
            }
        }
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
