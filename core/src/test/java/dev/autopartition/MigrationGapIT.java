package dev.autopartition;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.autopartition.testing.PostgresExtension;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A table whose data stops years before now: by default the migration makes a partition for every day up to now and
 * says so in its plan; with {@code skipEmptyPeriods} it makes partitions only where rows are, around now and ahead,
 * and adds one later for a row written into a skipped day.
 */
class MigrationGapIT {
    @RegisterExtension
    static final PostgresExtension pg = new PostgresExtension();

    private static final String NOW = "2026-03-20T12:00:00Z";

    private static AutoPartition engine() {
        return AutoPartition.configure(pg.dataSource())
                .clock(new Fixtures.MovableClock(NOW))
                .build();
    }

    private static void oldEvents(String table, boolean keyIndex) {
        pg.execute(
                "CREATE TABLE " + table + " (id bigint PRIMARY KEY, created_at timestamptz NOT NULL, body text)",
                "INSERT INTO " + table + " SELECT g, timestamptz '2022-01-03 00:00+00' + (g % 3) * interval '7 days'"
                        + " + (g % 24) * interval '1 hour', 'm' || g FROM generate_series(1, 3000) g",
                "INSERT INTO " + table + " VALUES (3001, '2022-03-01 10:00+00', 'late')");
        if (keyIndex) {
            pg.execute("CREATE INDEX ON " + table + " (created_at)");
        }
    }

    private static MigrationSpec.Builder spec(String table, boolean skip, boolean defaultPartition) {
        return MigrationSpec.builder(AutoPartitionSpec.builder(TableName.of(table), "created_at")
                        .increment("1 day")
                        .maximumAdvancePartitions(2)
                        .defaultPartition(defaultPartition)
                        .build())
                .skipEmptyPeriods(skip);
    }

    @Test
    void byDefaultThePlanFillsEveryDayToNowAndSaysHowToSkipThem() {
        oldEvents("filled", true);
        Plan plan = engine().planMigration(spec("filled", false, false).build());
        String notes = String.join("\n", plan.notes());
        assertThat(notes)
                .contains("about ")
                .containsPattern("1[45]\\d\\d of the 1[45]\\d\\d partitions lie between the newest key")
                .contains("use skipEmptyPeriods");
    }

    @Test
    void skippingMakesPartitionsOnlyWhereRowsAreAndAroundNowThenAddsOneForABackdatedRow() {
        oldEvents("sparse", true);
        AutoPartition ap = engine();
        Plan plan = ap.planMigration(spec("sparse", true, false).build());
        assertThat(String.join("\n", plan.notes()))
                .contains("8 partitions where rows are, around now and ahead")
                .contains("a backdated write into them fails");

        MigrationStatus verified = ap.migrateToPartitioned(
                spec("sparse", true, false).cutover(false).build());
        assertThat(verified.phase()).isEqualTo(MigrationPhase.VERIFIED);
        assertThat(verified.partitions())
                .as("4 days with rows, the day before now, today and 2 ahead")
                .isEqualTo(8);
        List<String> bounds = Fixtures.strings(
                pg,
                "SELECT p.lower_bound::text FROM autopartition.migration_partition p JOIN autopartition.migration m"
                        + " ON m.id = p.migration_id WHERE m.table_name = 'sparse'");
        assertThat(bounds).hasSize(8);

        pg.execute("INSERT INTO sparse VALUES (3002, '2023-06-15 08:00+00', 'backdated')");
        MigrationStatus done =
                ap.migrateToPartitioned(spec("sparse", true, false).build());
        assertThat(done.phase()).isEqualTo(MigrationPhase.CUT_OVER);
        assertThat(done.partitions()).as("the backdated row's day was added").isEqualTo(9);
        assertThat(Fixtures.number(pg, "SELECT count(*) FROM sparse")).isEqualTo(3002);
        assertThat(Fixtures.number(pg, "SELECT count(*) FROM pg_inherits WHERE inhparent = 'sparse'::regclass"))
                .isEqualTo(9);
        assertThat(Fixtures.string(pg, "SELECT tableoid::regclass::text FROM sparse WHERE id = 3002"))
                .isEqualTo("sparse_p20230615");
        assertThatThrownBy(() -> pg.execute("INSERT INTO sparse VALUES (3003, '2024-02-02 08:00+00', 'gap')"))
                .as("no default partition: a write into a skipped day fails")
                .hasMessageContaining("no partition of relation");
    }

    @Test
    void withoutAnIndexOnTheKeyOneScanFindsTheSameDays() {
        oldEvents("unindexed", false);
        oldEvents("indexed", true);
        AutoPartition ap = engine();
        assertThat(ap.planMigration(spec("unindexed", true, false).build()).notes())
                .anySatisfy(note -> assertThat(note).contains("8 partitions where rows are"));
        ap.migrateToPartitioned(spec("unindexed", true, false).build());
        ap.migrateToPartitioned(spec("indexed", true, false).build());
        assertThat(Fixtures.partitionNames(pg, "unindexed"))
                .containsExactlyElementsOf(Fixtures.partitionNames(pg, "indexed").stream()
                        .map(name -> name.replace("indexed", "unindexed"))
                        .toList());
    }

    @Test
    void aDefaultPartitionCatchesWritesIntoTheSkippedDays() {
        oldEvents("caught", true);
        AutoPartition ap = engine();
        assertThat(ap.planMigration(spec("caught", true, true).build()).notes())
                .anySatisfy(note -> assertThat(note).contains("go to the default partition"));
        assertThat(ap.migrateToPartitioned(spec("caught", true, true).build()).phase())
                .isEqualTo(MigrationPhase.CUT_OVER);
        pg.execute("INSERT INTO caught VALUES (3003, '2024-02-02 08:00+00', 'gap')");
        assertThat(Fixtures.string(pg, "SELECT tableoid::regclass::text FROM caught WHERE id = 3003"))
                .isEqualTo("caught_default");
    }

    /**
     * A writer backdates a row into a different skipped day every 200 ms while the migration runs: each lands after
     * some look for occupied days, so the replay (and the cutover) meet rows whose partition does not exist yet, add
     * it and go on. Every row the writer committed before the cutover is in its day's partition afterwards.
     */
    @Test
    void rowsWrittenIntoSkippedDaysDuringTheMigrationGetTheirPartitions() throws InterruptedException {
        pg.execute(
                "CREATE TABLE busy (id bigint PRIMARY KEY, created_at timestamptz NOT NULL, body text)",
                "INSERT INTO busy SELECT g, timestamptz '2022-01-03 00:00+00' + (g % 20) * interval '1 day'"
                        + " + (g % 24) * interval '1 hour', repeat('m', 200) FROM generate_series(1, 400000) g",
                "CREATE INDEX ON busy (created_at)");
        AtomicBoolean stop = new AtomicBoolean();
        ConcurrentLinkedQueue<Long> committed = new ConcurrentLinkedQueue<>();
        Thread writer = new Thread(() -> backdate("busy", stop, committed), "backdating-writer");
        writer.start();
        MigrationStatus done;
        try {
            done = engine().migrateToPartitioned(spec("busy", true, false).build());
        } finally {
            stop.set(true);
            writer.join();
        }
        assertThat(done.phase()).isEqualTo(MigrationPhase.CUT_OVER);
        long before = Fixtures.number(pg, "SELECT count(*) FROM busy WHERE body = 'backdated'");
        assertThat(committed)
                .as("the writer backdated rows into skipped days while the migration ran")
                .hasSizeGreaterThan(5);
        // rows the writer committed after the cutover have failed (no default partition) and are not in the list
        assertThat(before).isEqualTo(committed.size());
        assertThat(Fixtures.number(pg, "SELECT count(*) FROM busy")).isEqualTo(400_000L + committed.size());
        assertThat(Fixtures.number(
                        pg,
                        "SELECT count(*) FROM busy WHERE body = 'backdated'"
                                + " AND tableoid::regclass::text <> 'busy_p' || to_char(created_at AT TIME ZONE 'UTC',"
                                + " 'YYYYMMDD')"))
                .as("each backdated row in its own day's partition")
                .isZero();
    }

    /** Inserts one row every 200 ms, each into the next day of the gap, until told to stop; records what committed. */
    private static void backdate(String table, AtomicBoolean stop, ConcurrentLinkedQueue<Long> committed) {
        Instant day = Instant.parse("2022-06-01T10:00:00Z");
        try (Connection c = pg.dataSource().getConnection();
                var insert = c.prepareStatement("INSERT INTO " + table + " VALUES (?, ?, 'backdated')")) {
            for (long id = 1_000_000; !stop.get(); id++) {
                insert.setLong(1, id);
                insert.setObject(2, java.time.OffsetDateTime.ofInstant(day, java.time.ZoneOffset.UTC));
                try {
                    insert.executeUpdate();
                    committed.add(id);
                } catch (SQLException e) {
                    if (!String.valueOf(e.getMessage()).contains("no partition of relation")) {
                        throw e;
                    }
                }
                day = day.plus(1, ChronoUnit.DAYS);
                Fixtures.sleep(200);
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
