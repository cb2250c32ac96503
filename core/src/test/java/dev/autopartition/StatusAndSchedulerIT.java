package dev.autopartition;

import static org.assertj.core.api.Assertions.assertThat;

import dev.autopartition.testing.PostgresExtension;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** status(), the recorded maintenance runs, the plan, and the application scheduler. */
class StatusAndSchedulerIT {
    @RegisterExtension
    static final PostgresExtension pg = new PostgresExtension();

    @Test
    void statusShowsTheAdvanceWindowBoundsAndLastRun() {
        pg.execute("CREATE TABLE watched (ts timestamptz NOT NULL) PARTITION BY RANGE (ts)");
        Fixtures.MovableClock clock = new Fixtures.MovableClock("2022-01-10T12:00:00Z");
        AutoPartition ap = AutoPartition.configure(pg.dataSource()).clock(clock).build();
        TableName watched = TableName.of("watched");
        ap.autoPartition(
                AutoPartitionSpec.builder(watched, "ts").increment("1 day").build());
        TableStatus status = only(ap.status(), watched);
        assertThat(status.partitions()).isEqualTo(6);
        assertThat(status.advancePartitions()).isEqualTo(5);
        assertThat(status.oldestBound()).isEqualTo("2022-01-10 00:00:00+00:00");
        assertThat(status.newestBound()).isEqualTo("2022-01-16 00:00:00+00:00");
        assertThat(status.lastMaintainedAt()).isNotNull();
        assertThat(status.lastChange()).contains("created 6");
        assertThat(status.healthy()).isTrue();

        clock.advance(Duration.ofDays(6));
        assertThat(only(ap.status(), watched).advancePartitions())
                .as("the clock ran past: none left")
                .isEqualTo(-1);
        assertThat(only(ap.status(), watched).healthy()).isFalse();
        Plan plan = ap.plan();
        assertThat(plan.steps()).hasSize(6);
        assertThat(plan.toSql())
                .contains("-- create partition \"public\".\"watched_p20220116\"")
                .contains("--   lock: SHARE UPDATE EXCLUSIVE on \"public\".\"watched\" (reads and writes go on)")
                .doesNotContain("autopartition.managed_partition");
        assertThat(Fixtures.number(
                        pg, "SELECT count(*) FROM autopartition.maintenance_run WHERE table_name = 'watched'"))
                .isEqualTo(1);
        ap.maintain();
        assertThat(Fixtures.strings(
                        pg,
                        "SELECT created || ' ' || coalesce(errors, '-') FROM"
                                + " autopartition.maintenance_run WHERE table_name = 'watched' ORDER BY id"))
                .containsExactly("6 -", "6 -");
    }

    @Test
    void closeWaitsForARunningPassNotForTheNextOne() {
        AutoPartition ap = AutoPartition.configure(pg.dataSource()).build();
        MaintenanceScheduler scheduler =
                ap.scheduler(Duration.ofHours(1), Duration.ZERO).startAfter(Duration.ofHours(1));
        assertThat(scheduler.isRunning()).isTrue();
        long start = System.nanoTime();
        scheduler.close();
        assertThat(Duration.ofNanos(System.nanoTime() - start))
                .as("close() with the next pass an hour away")
                .isLessThan(Duration.ofSeconds(5));
        assertThat(scheduler.isRunning()).isFalse();
        assertThat(scheduler.lastReport()).as("no pass ran").isNull();
    }

    private static TableStatus only(List<TableStatus> statuses, TableName table) {
        return statuses.stream()
                .filter(s -> s.table().equals(table))
                .findFirst()
                .orElseThrow();
    }

    @Test
    void schedulersInSeveralInstancesKeepTablesCurrentAndStopCleanly() throws Exception {
        pg.execute("CREATE TABLE scheduled (ts timestamptz NOT NULL) PARTITION BY RANGE (ts)");
        Fixtures.MovableClock clock = new Fixtures.MovableClock("2022-01-10T12:00:00Z");
        AutoPartition declaring =
                AutoPartition.configure(pg.dataSource()).clock(clock).build();
        declaring.autoPartition(AutoPartitionSpec.builder(TableName.of("scheduled"), "ts")
                .increment("1 day")
                .minimumAdvancePartitions(1)
                .maximumAdvancePartitions(1)
                .build());
        List<MaintenanceReport> reports = new CopyOnWriteArrayList<>();
        List<MaintenanceScheduler> schedulers = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            AutoPartition instance =
                    AutoPartition.configure(pg.dataSource()).clock(clock).build();
            schedulers.add(instance.scheduler(Duration.ofMillis(50), Duration.ofMillis(30))
                    .onReport(reports::add)
                    .start());
        }
        clock.set("2022-01-20T12:00:00Z");
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (Fixtures.partitionNames(pg, "scheduled").size() < 12 && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        schedulers.forEach(MaintenanceScheduler::close);
        int runs = reports.size();
        Thread.sleep(200);
        assertThat(reports).as("no runs after close").hasSize(runs);
        assertThat(schedulers).noneMatch(MaintenanceScheduler::isRunning);
        assertThat(reports).as("no errors in any instance").noneMatch(MaintenanceReport::hasErrors);
        assertThat(reports.stream().mapToInt(MaintenanceReport::created).sum())
                .as("each partition created once, by one of the instances")
                .isEqualTo(10);
        assertThat(Fixtures.partitionNames(pg, "scheduled")).hasSize(12).last().isEqualTo("scheduled_p20220121");
    }
}
