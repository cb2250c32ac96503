package dev.autopartition;

import static org.assertj.core.api.Assertions.assertThat;

import dev.autopartition.testing.PostgresExtension;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * What maintenance does, written once and run against both maintainers: the Java maintainer ({@link
 * JavaMaintenanceBehaviourIT}) and the in-database procedure ({@link DatabaseMaintenanceBehaviourIT}). Both must
 * produce the same partitions (names and bounds as {@code pg_get_expr} prints them) and the same history, so the two
 * cannot drift apart.
 *
 * <p>A rule is declared disabled (so declaring it runs no maintenance), then enabled in the catalog, and from then
 * on only the maintainer under test works on it, at the instant a test sets.
 */
@Timeout(120)
abstract class MaintenanceBehaviour {
    static final String CATALOG = "Auto Partition";

    abstract PostgresExtension pg();

    /** Who the history must say ran. */
    abstract MaintenanceRun.Runner runner();

    /** Runs maintenance of every managed table, at the clock's instant. */
    abstract void maintain(AutoPartition ap, Fixtures.MovableClock clock);

    /** Prepares an instance (installs what the maintainer needs). */
    void prepare(AutoPartition ap) {}

    /** A rule declared at {@code now}, enabled, and maintained once by the maintainer under test. */
    AutoPartition declare(Fixtures.MovableClock clock, AutoPartitionSpec.Builder spec) {
        AutoPartition ap = AutoPartition.configure(pg().dataSource())
                .clock(clock)
                .catalogSchema(CATALOG)
                .lockTimeout(Duration.ofMillis(200))
                .attempts(2)
                .backoff(Duration.ofMillis(10), Duration.ofMillis(20))
                .build();
        prepare(ap);
        AutoPartitionSpec built = spec.enabled(false).build();
        ap.autoPartition(built);
        pg().execute("UPDATE \"Auto Partition\".managed_table SET enabled = true WHERE schema_name = "
                + literal(built.table().schema()) + " AND table_name = "
                + literal(built.table().name()));
        maintain(ap, clock);
        return ap;
    }

    static String literal(String value) {
        return "'" + value.replace("'", "''") + "'";
    }

    MaintenanceRun lastRun(AutoPartition ap, TableName table) {
        List<MaintenanceRun> runs = ap.maintenanceHistory(table, 1);
        assertThat(runs).as("a run was recorded for " + table).isNotEmpty();
        MaintenanceRun run = runs.get(0);
        assertThat(run.runBy()).as("who ran").isEqualTo(runner());
        return run;
    }

    /** The history entries the maintainer under test wrote (declaring a disabled rule records a skip by Java). */
    List<MaintenanceRun> runs(AutoPartition ap, TableName table) {
        return ap.maintenanceHistory(table, 100).stream()
                .filter(run -> run.runBy() == runner() && !"disabled".equals(run.skipped()))
                .toList();
    }

    @Test
    void dailyPartitionsAheadWithHysteresis() {
        pg().execute(
                        "CREATE TABLE daily (id bigserial, created_at timestamptz NOT NULL) PARTITION BY RANGE (created_at)");
        Fixtures.MovableClock clock = new Fixtures.MovableClock("2022-01-10T15:00:00Z");
        AutoPartition ap = declare(
                clock,
                AutoPartitionSpec.builder(TableName.of("daily"), "created_at")
                        .increment("1 day")
                        .minimumAdvancePartitions(2)
                        .maximumAdvancePartitions(3));
        assertThat(Fixtures.partitions(pg(), "daily"))
                .containsExactly(
                        "daily_p20220110: FOR VALUES FROM ('2022-01-10 00:00:00+00') TO ('2022-01-11 00:00:00+00')",
                        "daily_p20220111: FOR VALUES FROM ('2022-01-11 00:00:00+00') TO ('2022-01-12 00:00:00+00')",
                        "daily_p20220112: FOR VALUES FROM ('2022-01-12 00:00:00+00') TO ('2022-01-13 00:00:00+00')",
                        "daily_p20220113: FOR VALUES FROM ('2022-01-13 00:00:00+00') TO ('2022-01-14 00:00:00+00')");
        MaintenanceRun first = lastRun(ap, TableName.of("daily"));
        assertThat(first.created())
                .containsExactly("daily_p20220110", "daily_p20220111", "daily_p20220112", "daily_p20220113");
        assertThat(first.outcome()).isEqualTo(MaintenanceRun.Outcome.CHANGED);

        clock.advance(Duration.ofDays(1));
        maintain(ap, clock);
        assertThat(Fixtures.partitionNames(pg(), "daily"))
                .as("2 ahead after a day: nothing to do")
                .hasSize(4);
        assertThat(runs(ap, TableName.of("daily")))
                .as("a run with nothing to do leaves no entry")
                .hasSize(1);
        clock.advance(Duration.ofDays(1));
        maintain(ap, clock);
        assertThat(lastRun(ap, TableName.of("daily")).created())
                .as("1 ahead is below the minimum: top up to 3 ahead")
                .containsExactly("daily_p20220114", "daily_p20220115");
    }

    @Test
    void monthlyPartitionsAlignInTheTablesZone() {
        pg().execute("CREATE TABLE monthly (ts timestamptz NOT NULL) PARTITION BY RANGE (ts)");
        Fixtures.MovableClock clock = new Fixtures.MovableClock("2022-01-31T23:30:00Z"); // Feb 1st in Berlin
        declare(
                clock,
                AutoPartitionSpec.builder(TableName.of("monthly"), "ts")
                        .increment("1 month")
                        .timeZone("Europe/Berlin")
                        .minimumAdvancePartitions(1)
                        .maximumAdvancePartitions(2));
        assertThat(Fixtures.partitions(pg(), "monthly"))
                .containsExactly(
                        "monthly_p202202: FOR VALUES FROM ('2022-01-31 23:00:00+00') TO ('2022-02-28 23:00:00+00')",
                        "monthly_p202203: FOR VALUES FROM ('2022-02-28 23:00:00+00') TO ('2022-03-31 22:00:00+00')",
                        "monthly_p202204: FOR VALUES FROM ('2022-03-31 22:00:00+00') TO ('2022-04-30 22:00:00+00')");
    }

    @Test
    void daylightSavingDaysAre23And25HoursLong() {
        pg().execute("CREATE TABLE dst (ts timestamptz NOT NULL) PARTITION BY RANGE (ts)");
        Fixtures.MovableClock clock = new Fixtures.MovableClock("2022-03-26T12:00:00Z");
        AutoPartition ap = declare(
                clock,
                AutoPartitionSpec.builder(TableName.of("dst"), "ts")
                        .increment("1 day")
                        .timeZone("Europe/Berlin")
                        .minimumAdvancePartitions(1)
                        .maximumAdvancePartitions(2));
        clock.set("2022-10-29T12:00:00Z");
        maintain(ap, clock);
        assertThat(Fixtures.partitions(pg(), "dst"))
                .contains(
                        "dst_p20220327: FOR VALUES FROM ('2022-03-26 23:00:00+00') TO ('2022-03-27 22:00:00+00')",
                        "dst_p20221030: FOR VALUES FROM ('2022-10-29 22:00:00+00') TO ('2022-10-30 23:00:00+00')")
                .as("missed days are filled: no gap between March and October")
                .hasSize(220);
    }

    @Test
    void hourlyPartitionsAcrossTheAutumnChangeHoldTheRepeatedHourInOnePartition() {
        pg().execute("CREATE TABLE hourly (ts timestamptz NOT NULL) PARTITION BY RANGE (ts)");
        Fixtures.MovableClock clock = new Fixtures.MovableClock("2022-11-06T04:30:00Z"); // 00:30 EDT
        declare(
                clock,
                AutoPartitionSpec.builder(TableName.of("hourly"), "ts")
                        .increment("1 hour")
                        .timeZone("America/New_York")
                        .minimumAdvancePartitions(1)
                        .maximumAdvancePartitions(3));
        assertThat(Fixtures.partitions(pg(), "hourly"))
                .as("01:00 happens twice in New York that night: one partition of two hours holds both, as a day of 25"
                        + " hours is one daily partition")
                .containsExactly(
                        "hourly_p20221106_0000: FOR VALUES FROM ('2022-11-06 04:00:00+00') TO ('2022-11-06 05:00:00+00')",
                        "hourly_p20221106_0100: FOR VALUES FROM ('2022-11-06 05:00:00+00') TO ('2022-11-06 07:00:00+00')",
                        "hourly_p20221106_0200: FOR VALUES FROM ('2022-11-06 07:00:00+00') TO ('2022-11-06 08:00:00+00')",
                        "hourly_p20221106_0300: FOR VALUES FROM ('2022-11-06 08:00:00+00') TO ('2022-11-06 09:00:00+00')");
    }

    @Test
    void integerKeysFollowTheLargestKey() {
        pg().execute("CREATE TABLE numbers (id bigint NOT NULL) PARTITION BY RANGE (id)");
        Fixtures.MovableClock clock = new Fixtures.MovableClock("2022-01-01T00:00:00Z");
        AutoPartition ap = declare(
                clock,
                AutoPartitionSpec.builder(TableName.of("numbers"), "id")
                        .increment("1000")
                        .minimumAdvancePartitions(1)
                        .maximumAdvancePartitions(2)
                        .retention("1500"));
        assertThat(Fixtures.partitionNames(pg(), "numbers"))
                .containsExactly("numbers_p0", "numbers_p1000", "numbers_p2000");
        pg().execute("INSERT INTO numbers SELECT generate_series(1, 2999)");
        maintain(ap, clock);
        assertThat(Fixtures.partitions(pg(), "numbers"))
                .as("the largest key 2999 is in slot 2, 0 ahead: up to 4000; up to 2999 - 1500 removed")
                .containsExactly(
                        "numbers_p1000: FOR VALUES FROM ('1000') TO ('2000')",
                        "numbers_p2000: FOR VALUES FROM ('2000') TO ('3000')",
                        "numbers_p3000: FOR VALUES FROM ('3000') TO ('4000')",
                        "numbers_p4000: FOR VALUES FROM ('4000') TO ('5000')");
        MaintenanceRun run = lastRun(ap, TableName.of("numbers"));
        assertThat(run.removed()).containsExactly("numbers_p0");
        assertThat(run.created()).containsExactly("numbers_p3000", "numbers_p4000");
    }

    @Test
    void dateKeysWithWeeksAndAnInitialLowerBound() {
        pg().execute("CREATE TABLE weeks (d date NOT NULL) PARTITION BY RANGE (d)");
        Fixtures.MovableClock clock = new Fixtures.MovableClock("2022-01-12T10:00:00Z"); // a Wednesday
        declare(
                clock,
                AutoPartitionSpec.builder(TableName.of("weeks"), "d")
                        .increment("1 week")
                        .initialLowerBound("2021-12-27")
                        .minimumAdvancePartitions(1)
                        .maximumAdvancePartitions(1)
                        .namingPattern("{table}_{yyyy}_w{MM}{dd}"));
        assertThat(Fixtures.partitions(pg(), "weeks"))
                .containsExactly(
                        "weeks_2021_w1227: FOR VALUES FROM ('2021-12-27') TO ('2022-01-03')",
                        "weeks_2022_w0103: FOR VALUES FROM ('2022-01-03') TO ('2022-01-10')",
                        "weeks_2022_w0110: FOR VALUES FROM ('2022-01-10') TO ('2022-01-17')",
                        "weeks_2022_w0117: FOR VALUES FROM ('2022-01-17') TO ('2022-01-24')");
    }

    private Fixtures.MovableClock retentionClock = new Fixtures.MovableClock("2022-01-01T12:00:00Z");

    AutoPartition retention(String table, RetentionAction action, @Nullable String schema) {
        pg().execute("CREATE TABLE " + table + " (ts timestamp NOT NULL, v int) PARTITION BY RANGE (ts)");
        Fixtures.MovableClock clock = new Fixtures.MovableClock("2022-01-01T12:00:00Z");
        retentionClock = clock;
        AutoPartition ap = declare(
                clock,
                AutoPartitionSpec.builder(TableName.of(table), "ts")
                        .increment("1 day")
                        .minimumAdvancePartitions(1)
                        .maximumAdvancePartitions(1)
                        .retention("2 days")
                        .retentionAction(action)
                        .retentionSchema(schema));
        pg().execute("INSERT INTO " + table + " VALUES ('2022-01-01 10:00', 1), ('2022-01-02 10:00', 2)");
        clock.advance(Duration.ofDays(4)); // the 5th at noon: cut-off the 3rd at noon
        maintain(ap, clock);
        return ap;
    }

    @Test
    void retentionDrops() {
        AutoPartition ap = retention("dropped", RetentionAction.DROP, null);
        assertThat(Fixtures.partitionNames(pg(), "dropped"))
                .containsExactly("dropped_p20220103", "dropped_p20220104", "dropped_p20220105", "dropped_p20220106");
        assertThat(Fixtures.number(pg(), "SELECT count(*) FROM pg_class WHERE relname LIKE 'dropped_p2022010_'"))
                .as("dropped, not just detached")
                .isEqualTo(4);
        MaintenanceRun run = lastRun(ap, TableName.of("dropped"));
        assertThat(run.removed()).containsExactly("dropped_p20220101", "dropped_p20220102");
        assertThat(run.created())
                .containsExactly("dropped_p20220103", "dropped_p20220104", "dropped_p20220105", "dropped_p20220106");
    }

    @Test
    void retentionDetachesAndKeeps() {
        AutoPartition ap = retention("kept", RetentionAction.DETACH, null);
        assertThat(Fixtures.partitionNames(pg(), "kept")).doesNotContain("kept_p20220101", "kept_p20220102");
        assertThat(Fixtures.number(pg(), "SELECT count(*) FROM kept_p20220101")).isEqualTo(1);
        assertThat(
                        Fixtures.string(
                                pg(),
                                "SELECT state FROM \"Auto Partition\".managed_partition WHERE partition_name = 'kept_p20220102'"))
                .isEqualTo("detached");
        retentionClock.advance(Duration.ofHours(1));
        maintain(ap, retentionClock);
        assertThat(runs(ap, TableName.of("kept")))
                .as("a detached partition is not touched again")
                .hasSize(2);
    }

    @Test
    void retentionMovesToItsSchema() {
        pg().execute("CREATE SCHEMA archive");
        AutoPartition ap = retention("moved", RetentionAction.MOVE, "archive");
        assertThat(Fixtures.number(pg(), "SELECT count(*) FROM archive.moved_p20220102"))
                .isEqualTo(1);
        assertThat(Fixtures.string(
                        pg(),
                        "SELECT schema_name FROM \"Auto Partition\".managed_partition"
                                + " WHERE partition_name = 'moved_p20220101'"))
                .isEqualTo("archive");
        assertThat(lastRun(ap, TableName.of("moved")).removed()).containsExactly("moved_p20220101", "moved_p20220102");
    }

    @Test
    void partitionsTheEngineDoesNotOwnAreNeverRemoved() {
        pg().execute(
                        "CREATE TABLE mixed (ts timestamptz NOT NULL) PARTITION BY RANGE (ts)",
                        "CREATE TABLE mixed_old PARTITION OF mixed FOR VALUES FROM ('2021-12-01 00:00+00') TO ('2021-12-02 00:00+00')");
        Fixtures.MovableClock clock = new Fixtures.MovableClock("2022-01-01T12:00:00Z");
        AutoPartition ap = declare(
                clock,
                AutoPartitionSpec.builder(TableName.of("mixed"), "ts")
                        .increment("1 day")
                        .minimumAdvancePartitions(1)
                        .maximumAdvancePartitions(1)
                        .retention("1 day"));
        pg().execute(
                        "CREATE TABLE handmade (LIKE mixed)",
                        "ALTER TABLE mixed ATTACH PARTITION handmade FOR VALUES FROM ('2021-11-01 00:00+00') TO"
                                + " ('2021-11-02 00:00+00')");
        clock.advance(Duration.ofDays(5));
        maintain(ap, clock);
        assertThat(Fixtures.partitionNames(pg(), "mixed"))
                .as("adopted at declaration: owned and removed; attached by hand later: never touched")
                .contains("handmade")
                .doesNotContain("mixed_old");
        assertThat(lastRun(ap, TableName.of("mixed")).removed()).doesNotContain("handmade");
    }

    @Test
    void namesThatNeedQuotingAndRowsInTheDefaultPartition() {
        pg().execute(
                        "CREATE SCHEMA \"Sales \"\"EU\"\"\"",
                        "CREATE SCHEMA \"Archiv Ü\"",
                        "CREATE TABLE \"Sales \"\"EU\"\"\".\"select\" (\"Créé le\" timestamptz NOT NULL, \"order\" int,"
                                + " doubled int GENERATED ALWAYS AS (\"order\" * 2) STORED) PARTITION BY RANGE (\"Créé le\")");
        Fixtures.MovableClock clock = new Fixtures.MovableClock("2022-01-10T12:00:00Z");
        TableName table = TableName.of("Sales \"EU\"", "select");
        AutoPartition ap = declare(
                clock,
                AutoPartitionSpec.builder(table, "Créé le")
                        .increment("1 day")
                        .minimumAdvancePartitions(1)
                        .maximumAdvancePartitions(1)
                        .retention("1 day")
                        .retentionAction(RetentionAction.MOVE)
                        .retentionSchema("Archiv Ü")
                        .defaultPartition(true));
        pg().execute("INSERT INTO \"Sales \"\"EU\"\"\".\"select\" VALUES ('2022-01-10 13:00+00', 1),"
                + " ('2022-01-13 08:00+00', 2), ('2022-01-13 09:00+00', 3)");
        clock.advance(Duration.ofDays(3));
        maintain(ap, clock);
        String quoted = "\"Sales \"\"EU\"\"\".\"select\"";
        assertThat(Fixtures.partitionNames(pg(), quoted))
                .containsExactly("select_default", "select_p20220112", "select_p20220113", "select_p20220114");
        assertThat(Fixtures.number(pg(), "SELECT count(*) FROM \"Archiv Ü\".\"select_p20220110\""))
                .isEqualTo(1);
        assertThat(Fixtures.number(pg(), "SELECT sum(doubled) FROM \"Sales \"\"EU\"\"\".select_p20220113"))
                .as("the default's rows moved into their new partition, generated column recomputed")
                .isEqualTo(10);
        assertThat(Fixtures.number(pg(), "SELECT count(*) FROM \"Sales \"\"EU\"\"\".select_default"))
                .isZero();
        MaintenanceRun run = lastRun(ap, table);
        assertThat(run.movedRows()).isEqualTo(2);
        assertThat(run.removed()).containsExactly("select_p20220110", "select_p20220111");
    }

    @Test
    void longNamesAreShortenedTheSameWay() {
        String name = "ü".repeat(28) + "_events";
        pg().execute("CREATE TABLE \"" + name + "\" (ts timestamptz NOT NULL) PARTITION BY RANGE (ts)");
        Fixtures.MovableClock clock = new Fixtures.MovableClock("2022-01-10T12:00:00Z");
        declare(
                clock,
                AutoPartitionSpec.builder(TableName.of(name), "ts")
                        .increment("1 day")
                        .minimumAdvancePartitions(1)
                        .maximumAdvancePartitions(1));
        assertThat(Fixtures.partitionNames(pg(), "\"" + name + "\""))
                .containsExactly("ü".repeat(23) + "_54a752_p20220110", "ü".repeat(23) + "_54a752_p20220111");
    }

    @Test
    void aTableAnotherMaintainerHoldsIsSkippedAndRecordedAsBusy() throws Exception {
        pg().execute("CREATE TABLE busy (ts timestamptz NOT NULL) PARTITION BY RANGE (ts)");
        Fixtures.MovableClock clock = new Fixtures.MovableClock("2022-01-10T12:00:00Z");
        AutoPartition ap = declare(
                clock,
                AutoPartitionSpec.builder(TableName.of("busy"), "ts")
                        .increment("1 day")
                        .minimumAdvancePartitions(1)
                        .maximumAdvancePartitions(1));
        clock.advance(Duration.ofDays(3));
        try (Connection other = pg().connection();
                Statement st = other.createStatement()) {
            // the key both maintainers take for a table
            st.execute("SELECT pg_advisory_lock(x'6170000000000000'::bigint | 'busy'::regclass::oid::bigint)");
            maintain(ap, clock);
            MaintenanceRun run = lastRun(ap, TableName.of("busy"));
            assertThat(run.outcome()).isEqualTo(MaintenanceRun.Outcome.SKIPPED);
            assertThat(run.skipped()).startsWith("busy");
            assertThat(Fixtures.partitionNames(pg(), "busy")).hasSize(2);
        }
        maintain(ap, clock);
        assertThat(lastRun(ap, TableName.of("busy")).created())
                .containsExactly("busy_p20220112", "busy_p20220113", "busy_p20220114");
    }

    @Test
    void aStepThatCannotGetItsLockFailsWithoutChangingAnythingAndIsRecorded() throws Exception {
        pg().execute("CREATE TABLE locked (ts timestamptz NOT NULL) PARTITION BY RANGE (ts)");
        Fixtures.MovableClock clock = new Fixtures.MovableClock("2022-01-10T12:00:00Z");
        AutoPartition ap = declare(
                clock,
                AutoPartitionSpec.builder(TableName.of("locked"), "ts")
                        .increment("1 day")
                        .minimumAdvancePartitions(1)
                        .maximumAdvancePartitions(1));
        clock.advance(Duration.ofDays(3));
        try (Connection other = pg().connection();
                Statement st = other.createStatement()) {
            other.setAutoCommit(false);
            st.execute("LOCK TABLE locked IN ACCESS EXCLUSIVE MODE");
            maintain(ap, clock);
            other.rollback();
        }
        MaintenanceRun run = lastRun(ap, TableName.of("locked"));
        assertThat(run.outcome()).isEqualTo(MaintenanceRun.Outcome.FAILED);
        assertThat(run.error()).contains("could not get a lock within 200 ms on any of 2 tries");
        assertThat(Fixtures.partitionNames(pg(), "locked"))
                .as("nothing half done")
                .containsExactly("locked_p20220110", "locked_p20220111");
        maintain(ap, clock);
        assertThat(lastRun(ap, TableName.of("locked")).outcome()).isEqualTo(MaintenanceRun.Outcome.CHANGED);
    }

    @Test
    void tieringMovesOldPartitionsAndTheirIndexesBeforeRetention() throws Exception {
        // tablespaces belong to the cluster every test class shares: a name of this class and run
        String cold = "Cold Tier " + runner() + " " + ProcessHandle.current().pid();
        java.nio.file.Path directory = java.nio.file.Files.createTempDirectory("autopartition-tier");
        try (Connection c = pg().connection();
                Statement st = c.createStatement()) {
            st.execute("CREATE TABLESPACE \"" + cold + "\" LOCATION '" + directory + "'");
        } catch (java.sql.SQLException e) {
            org.junit.jupiter.api.Assumptions.abort(
                    "tiering needs a tablespace in a local directory the server can write: " + e.getMessage());
        }
        try {
            pg().execute(
                            "CREATE TABLE tiered (id bigint NOT NULL, ts timestamptz NOT NULL, PRIMARY KEY (id, ts))"
                                    + " PARTITION BY RANGE (ts)",
                            "CREATE INDEX \"Tiered By Id\" ON tiered (id)");
            Fixtures.MovableClock clock = new Fixtures.MovableClock("2022-01-06T12:00:00Z");
            AutoPartition ap = declare(
                    clock,
                    AutoPartitionSpec.builder(TableName.of("tiered"), "ts")
                            .increment("1 day")
                            .initialLowerBound("2022-01-01")
                            .minimumAdvancePartitions(1)
                            .maximumAdvancePartitions(1)
                            .tierAfter("3 days")
                            .tierTablespace(cold)
                            .retention("6 days"));
            String placement = """
                    SELECT c.relname || ' ' || coalesce(t.spcname, '-') || ' ' || (SELECT count(*) FROM pg_index x
                             JOIN pg_class ic ON ic.oid = x.indexrelid LEFT JOIN pg_tablespace it ON it.oid = ic.reltablespace
                            WHERE x.indrelid = c.oid AND it.spcname IS NOT DISTINCT FROM t.spcname)
                      FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
                      LEFT JOIN pg_tablespace t ON t.oid = c.reltablespace
                     WHERE i.inhparent = 'tiered'::regclass ORDER BY c.relname""";
            assertThat(Fixtures.strings(pg(), placement))
                    .as("Jan 6 12:00 - 3 days: Jan 1 and 2 moved, with both their indexes")
                    .containsExactly(
                            "tiered_p20220101 " + cold + " 2",
                            "tiered_p20220102 " + cold + " 2",
                            "tiered_p20220103 - 2",
                            "tiered_p20220104 - 2",
                            "tiered_p20220105 - 2",
                            "tiered_p20220106 - 2",
                            "tiered_p20220107 - 2");
            clock.set("2022-01-08T12:00:00Z");
            maintain(ap, clock);
            assertThat(Fixtures.strings(pg(), placement))
                    .as("Jan 8: Jan 3 and 4 moved; Jan 1 past retention, dropped")
                    .containsExactly(
                            "tiered_p20220102 " + cold + " 2",
                            "tiered_p20220103 " + cold + " 2",
                            "tiered_p20220104 " + cold + " 2",
                            "tiered_p20220105 - 2",
                            "tiered_p20220106 - 2",
                            "tiered_p20220107 - 2",
                            "tiered_p20220108 - 2",
                            "tiered_p20220109 - 2");
            assertThat(Fixtures.strings(
                            pg(),
                            "SELECT partition_name || ' ' || coalesce(tablespace, '-') FROM \"Auto Partition\".managed_partition"
                                    + " WHERE partition_name IN ('tiered_p20220103', 'tiered_p20220105') ORDER BY 1"))
                    .containsExactly("tiered_p20220103 " + cold, "tiered_p20220105 -");
            assertThat(Fixtures.number(
                            pg(),
                            "SELECT tiered FROM \"Auto Partition\".maintenance_run WHERE table_name = 'tiered'"
                                    + " ORDER BY id DESC LIMIT 1"))
                    .isEqualTo(2);
        } finally {
            pg().execute("DROP TABLE IF EXISTS tiered", "DROP TABLESPACE IF EXISTS \"" + cold + "\"");
        }
    }

    @Test
    void anAutocreateExpressionSetsWhereCreationCounts() {
        pg().execute(
                        "CREATE TABLE planned (ts timestamptz NOT NULL) PARTITION BY RANGE (ts)",
                        "CREATE TABLE counted (n integer NOT NULL) PARTITION BY RANGE (n)");
        Fixtures.MovableClock clock = new Fixtures.MovableClock("2022-01-10T12:00:00Z");
        declare(
                clock,
                AutoPartitionSpec.builder(TableName.of("planned"), "ts")
                        .increment("1 day")
                        .timeZone("Europe/Berlin")
                        .minimumAdvancePartitions(1)
                        .maximumAdvancePartitions(1)
                        // a wall-clock time, read in the table's zone: March 1st in Berlin
                        .autocreateExpression("'2022-03-01 00:30'::timestamp"));
        assertThat(Fixtures.partitions(pg(), "planned"))
                .containsExactly(
                        "planned_p20220301: FOR VALUES FROM ('2022-02-28 23:00:00+00') TO ('2022-03-01 23:00:00+00')",
                        "planned_p20220302: FOR VALUES FROM ('2022-03-01 23:00:00+00') TO ('2022-03-02 23:00:00+00')");
        AutoPartition ap = declare(
                clock,
                AutoPartitionSpec.builder(TableName.of("counted"), "n")
                        .increment("1000")
                        .minimumAdvancePartitions(1)
                        .maximumAdvancePartitions(1)
                        .autocreateExpression("(SELECT 4500 FROM pg_catalog.pg_class LIMIT 1)"));
        assertThat(Fixtures.partitionNames(pg(), "counted")).containsExactly("counted_p4000", "counted_p5000");
        pg().execute("UPDATE \"Auto Partition\".managed_table SET autocreate_expression = 'now()'"
                + " WHERE table_name = 'counted'");
        maintain(ap, clock);
        MaintenanceRun run = lastRun(ap, TableName.of("counted"));
        assertThat(run.outcome()).isEqualTo(MaintenanceRun.Outcome.FAILED);
        assertThat(run.error()).contains("autocreate expression").contains("does not fit");
        assertThat(Fixtures.partitionNames(pg(), "counted"))
                .as("nothing changed")
                .hasSize(2);
    }
}
