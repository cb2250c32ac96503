package dev.autopartition;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.autopartition.testing.PostgresExtension;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** health(): the findings, the numbers per table, the scheduler's run history and unfinished migrations. */
class HealthIT {
    @RegisterExtension
    static final PostgresExtension pg = new PostgresExtension();

    @Test
    void aCurrentTableIsHealthyWithItsBoundsAsEpochSecondsAndTheSchedulersTotals() {
        pg.execute("CREATE TABLE h_current (ts timestamptz NOT NULL) PARTITION BY RANGE (ts)");
        Fixtures.MovableClock clock = new Fixtures.MovableClock("2022-01-10T12:00:00Z");
        AutoPartition ap = AutoPartition.configure(pg.dataSource()).clock(clock).build();
        TableName table = TableName.of("h_current");
        ap.autoPartition(
                AutoPartitionSpec.builder(table, "ts").increment("1 day").build());
        try (MaintenanceScheduler scheduler = ap.scheduler(Duration.ofHours(1), Duration.ZERO)) {
            assertThat(findings(ap.health(scheduler.history()), table))
                    .as("declaring the rule created the partitions")
                    .isEmpty();
            clock.advance(Duration.ofDays(4));
            assertThat(scheduler.runOnce()).isNotNull();

            HealthReport health = ap.health(scheduler.history());
            assertThat(findings(health, table)).as("findings").isEmpty();
            TableHealth current = only(health, table);
            assertThat(current.status().advancePartitions()).isEqualTo(5);
            assertThat(current.oldestBound())
                    .as("oldest bound 2022-01-10 in epoch seconds")
                    .isEqualTo((double) Instant.parse("2022-01-10T00:00:00Z").getEpochSecond());
            assertThat(current.newestBound())
                    .as("newest bound 2022-01-20 in epoch seconds")
                    .isEqualTo((double) Instant.parse("2022-01-20T00:00:00Z").getEpochSecond());
            assertThat(current.defaultRows()).isZero();
            assertThat(current.partitionsCreated())
                    .as("the scheduler created four days")
                    .isEqualTo(4);
            assertThat(current.partitionsRemoved()).isZero();
            assertThat(lastRun(current).outcome()).isEqualTo(LastRun.Outcome.SUCCESS);
            assertThat(lastRun(current).created()).isEqualTo(4);

            assertThat(scheduler.runOnce()).isNotNull();
            TableHealth again = only(ap.health(scheduler.history()), table);
            assertThat(lastRun(again).outcome())
                    .as("a pass with nothing to do on the table is a success")
                    .isEqualTo(LastRun.Outcome.SUCCESS);
            assertThat(lastRun(again).created()).isZero();
            assertThat(again.partitionsCreated()).as("totals stay").isEqualTo(4);
        }
    }

    @Test
    void theCatalogHistoryShowsWhatAnotherMaintainerDidIncludingAFailure() throws Exception {
        pg.execute("CREATE TABLE h_elsewhere (ts timestamptz NOT NULL) PARTITION BY RANGE (ts)");
        Fixtures.MovableClock clock = new Fixtures.MovableClock("2022-01-10T12:00:00Z");
        TableName table = TableName.of("h_elsewhere");
        AutoPartition maintainer = AutoPartition.configure(pg.dataSource())
                .clock(clock)
                .lockTimeout(Duration.ofMillis(50))
                .attempts(1)
                .build();
        maintainer.autoPartition(
                AutoPartitionSpec.builder(table, "ts").increment("1 day").build());
        // this process only watches: another one maintains
        AutoPartition watcher =
                AutoPartition.configure(pg.dataSource()).clock(clock).build();
        RunHistory history = RunHistory.catalog(watcher);

        clock.advance(Duration.ofDays(5)); // past the hysteresis: partitions are due
        MaintenanceReport first = maintainer.maintain();
        assertThat(first.created()).isPositive();
        assertThat(history.lastRun(table)).get().satisfies(run -> {
            assertThat(run.outcome()).isEqualTo(LastRun.Outcome.SUCCESS);
            assertThat(run.created()).isEqualTo(first.created());
        });
        assertThat(history.partitionsCreated(table))
                .as("every partition, those of the declaration too, was created by the engine and none removed")
                .isEqualTo(Fixtures.number(
                        pg, "SELECT count(*) FROM pg_inherits WHERE inhparent = 'h_elsewhere'::regclass"));
        assertThat(watcher.health(history).healthy()).isTrue();

        clock.advance(Duration.ofDays(5));
        try (java.sql.Connection blocker = pg.dataSource().getConnection();
                java.sql.Statement st = blocker.createStatement()) {
            blocker.setAutoCommit(false);
            st.execute("LOCK TABLE h_elsewhere IN ACCESS EXCLUSIVE MODE");
            assertThat(maintainer.maintain().hasErrors()).isTrue();
            blocker.rollback();
        }
        assertThat(history.lastRun(table)).get().extracting(LastRun::outcome).isEqualTo(LastRun.Outcome.FAILED);
        assertThat(findings(watcher.health(history), table))
                .extracting(HealthFinding::kind)
                .contains(HealthFinding.Kind.LAST_RUN_FAILED);

        maintainer.maintain();
        assertThat(history.lastRun(table)).get().extracting(LastRun::outcome).isEqualTo(LastRun.Outcome.SUCCESS);
        assertThat(findings(watcher.health(history), table)).isEmpty();
    }

    @Test
    void tooFewPartitionsAheadAndRowsInTheDefaultPartitionAreFindingsUntilFixed() {
        pg.execute("CREATE TABLE h_behind (ts timestamptz NOT NULL) PARTITION BY RANGE (ts)");
        Fixtures.MovableClock clock = new Fixtures.MovableClock("2022-01-10T12:00:00Z");
        AutoPartition ap = AutoPartition.configure(pg.dataSource()).clock(clock).build();
        TableName table = TableName.of("h_behind");
        ap.autoPartition(AutoPartitionSpec.builder(table, "ts")
                .increment("1 day")
                .minimumAdvancePartitions(2)
                .maximumAdvancePartitions(3)
                .defaultPartition(true)
                .build());
        clock.advance(Duration.ofDays(2));
        pg.execute("INSERT INTO h_behind VALUES ('2022-03-01 10:00:00+00'), ('2022-03-02 10:00:00+00')");

        HealthReport health = ap.health(RunHistory.none());
        assertThat(health.healthy()).isFalse();
        assertThat(findings(health, table))
                .extracting(HealthFinding::kind)
                .containsExactlyInAnyOrder(
                        HealthFinding.Kind.TOO_FEW_ADVANCE_PARTITIONS, HealthFinding.Kind.ROWS_IN_DEFAULT_PARTITION);
        assertThat(findings(health, table))
                .extracting(HealthFinding::message)
                .anySatisfy(m -> assertThat(m)
                        .contains("\"public\".\"h_behind\" has 1 partitions ahead, fewer than its minimum of 2")
                        .contains("Fix: run maintenance"))
                .anySatisfy(m -> assertThat(m).startsWith("2 rows of \"public\".\"h_behind\" sit in its default"));
        assertThat(only(health, table).defaultRows()).isEqualTo(2);
        assertThat(only(health, table).lastRun()).as("no history: no last run").isNull();

        ap.maintain();
        assertThat(findings(ap.health(RunHistory.none()), table))
                .extracting(HealthFinding::kind)
                .containsExactly(HealthFinding.Kind.ROWS_IN_DEFAULT_PARTITION);
        pg.execute("DELETE FROM h_behind WHERE ts >= '2022-03-01'");
        assertThat(findings(ap.health(RunHistory.none()), table)).isEmpty();
    }

    @Test
    void aFailedRunIsAFindingUntilARunSucceeds() throws Exception {
        pg.execute("CREATE TABLE h_failing (ts timestamptz NOT NULL) PARTITION BY RANGE (ts)");
        Fixtures.MovableClock clock = new Fixtures.MovableClock("2022-01-10T12:00:00Z");
        AutoPartition ap = AutoPartition.configure(pg.dataSource())
                .clock(clock)
                .lockTimeout(Duration.ofMillis(50))
                .attempts(1)
                .build();
        TableName table = TableName.of("h_failing");
        ap.autoPartition(
                AutoPartitionSpec.builder(table, "ts").increment("1 day").build());
        clock.advance(Duration.ofDays(4));
        try (MaintenanceScheduler scheduler = ap.scheduler(Duration.ofHours(1), Duration.ZERO)) {
            try (Connection blocker = pg.dataSource().getConnection();
                    Statement st = blocker.createStatement()) {
                blocker.setAutoCommit(false);
                st.execute("LOCK TABLE h_failing IN ACCESS EXCLUSIVE MODE");
                scheduler.runOnce();
                blocker.rollback();
            }
            HealthReport failed = ap.health(scheduler.history());
            assertThat(findings(failed, table))
                    .extracting(HealthFinding::kind)
                    .as("the run behind the lock failed, and the partitions it should have made are missing")
                    .containsExactlyInAnyOrder(
                            HealthFinding.Kind.LAST_RUN_FAILED, HealthFinding.Kind.TOO_FEW_ADVANCE_PARTITIONS);
            assertThat(findings(failed, table))
                    .filteredOn(f -> f.kind() == HealthFinding.Kind.LAST_RUN_FAILED)
                    .singleElement()
                    .satisfies(f -> assertThat(f.message()).contains("failed:").contains("the next"));
            assertThat(scheduler.history().lastPass().orElseThrow().outcome()).isEqualTo(LastRun.Outcome.FAILED);

            assertThat(scheduler.runOnce()).isNotNull();
            HealthReport recovered = ap.health(scheduler.history());
            assertThat(findings(recovered, table))
                    .as("findings after a good run")
                    .isEmpty();
            assertThat(lastRun(only(recovered, table)).outcome()).isEqualTo(LastRun.Outcome.SUCCESS);
        }
    }

    @Test
    void aMigrationWaitingBeforeItsCutoverIsListedAndCountsAsStuckAfterTheAllowedTime() throws Exception {
        pg.execute("CREATE TABLE h_moving (id bigserial, ts timestamptz NOT NULL," + " PRIMARY KEY (id, ts))");
        pg.execute("INSERT INTO h_moving (ts) SELECT now() - g * interval '1 hour' FROM generate_series(1, 100) g");
        AutoPartition ap = AutoPartition.configure(pg.dataSource()).build();
        TableName table = TableName.of("h_moving");
        MigrationStatus verified = ap.migrateToPartitioned(MigrationSpec.builder(AutoPartitionSpec.builder(table, "ts")
                        .increment("1 day")
                        .build())
                .cutover(false)
                .build());
        assertThat(verified.phase()).isEqualTo(MigrationPhase.VERIFIED);

        HealthReport patient = ap.health(RunHistory.none());
        assertThat(patient.migrations()).hasSize(1);
        MigrationHealth migration = patient.migrations().get(0);
        assertThat(migration.table()).isEqualTo(table);
        assertThat(migration.status().rowsCopied()).isEqualTo(100);
        assertThat(migration.status().phase()).isEqualTo(MigrationPhase.VERIFIED);
        assertThat(migration.stuck()).as("well within 15 minutes").isFalse();
        assertThat(findings(patient, table)).as("findings").isEmpty();

        Thread.sleep(1100);
        HealthReport impatient = ap.health(RunHistory.none(), Duration.ofSeconds(1));
        assertThat(impatient.migrations().get(0).sinceProgress()).isGreaterThan(Duration.ofSeconds(1));
        assertThat(findings(impatient, table)).singleElement().satisfies(f -> {
            assertThat(f.kind()).isEqualTo(HealthFinding.Kind.MIGRATION_STUCK);
            assertThat(f.table()).isEqualTo(table);
            assertThat(f.message())
                    .contains("is VERIFIED and has made no progress")
                    .contains("Fix:");
        });

        ap.cutover(table);
        ap.finalizeMigration(table);
        assertThat(ap.health(RunHistory.none(), Duration.ofSeconds(1)).migrations())
                .as("a finalized migration is not listed")
                .isEmpty();
        assertThatThrownBy(() -> ap.health(RunHistory.none(), Duration.ZERO))
                .hasMessageContaining("migrationStuckAfter must be positive, was PT0S");
    }

    /** The findings about one table (other tests' tables share the database), and those about no table. */
    private static List<HealthFinding> findings(HealthReport health, TableName table) {
        return health.findings().stream()
                .filter(f -> f.table() == null || table.equals(f.table()))
                .toList();
    }

    private static LastRun lastRun(TableHealth table) {
        LastRun last = table.lastRun();
        assertThat(last).as("the last run of " + table.table()).isNotNull();
        return java.util.Objects.requireNonNull(last);
    }

    private static TableHealth only(HealthReport health, TableName table) {
        List<TableHealth> matching =
                health.tables().stream().filter(t -> t.table().equals(table)).toList();
        assertThat(matching).as("tables in the report named " + table).hasSize(1);
        return matching.get(0);
    }
}
