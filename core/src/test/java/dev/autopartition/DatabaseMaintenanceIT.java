package dev.autopartition;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.autopartition.testing.PostgresExtension;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Installing, planning, scheduling and removing in-database maintenance; the work history and the status, from Java
 * and from SQL. (The behaviour of the procedure itself is in {@link DatabaseMaintenanceBehaviourIT}; pg_cron for real
 * in {@link PgCronIT}.)
 */
class DatabaseMaintenanceIT {
    @RegisterExtension
    static final PostgresExtension pg = new PostgresExtension();

    @Test
    void theDryRunShowsTheProcedureAndInstallsNothing() {
        AutoPartition ap = AutoPartition.configure(pg.dataSource())
                .catalogSchema("dry")
                .lockTimeout(Duration.ofMillis(750))
                .build();
        Plan plan = ap.planInstallDatabaseMaintenance();
        assertThat(plan.toSql())
                .contains("-- install the in-database maintenance procedure \"dry\".run_maintenance\n")
                .contains("CREATE OR REPLACE PROCEDURE \"dry\".run_maintenance(")
                .contains("p_lock_timeout_ms int DEFAULT 750")
                .contains("--   lock: none on any table: creates procedures in the catalog schema");
        assertThat(ap.databaseMaintenanceStatus().installed()).isFalse();
        assertThat(Fixtures.number(
                        pg,
                        "SELECT count(*) FROM pg_proc WHERE proname = 'run_maintenance'"
                                + " AND pronamespace = to_regnamespace('dry')"))
                .isZero();
    }

    @Test
    void installIsRepeatableAndUninstallRemovesIt() {
        AutoPartition ap =
                AutoPartition.configure(pg.dataSource()).catalogSchema("inst").build();
        ap.installDatabaseMaintenance();
        ap.installDatabaseMaintenance();
        DatabaseMaintenanceStatus status = ap.databaseMaintenanceStatus();
        assertThat(status.installed()).isTrue();
        assertThat(status.procedure()).isEqualTo("\"inst\".run_maintenance");
        assertThat(status.cronJobId()).as("no pg_cron here").isNull();
        pg.execute("CALL inst.run_maintenance()");
        assertThat(ap.planUninstallDatabaseMaintenance().toSql())
                .contains("DROP PROCEDURE IF EXISTS \"inst\".run_maintenance");
        assertThat(ap.uninstallDatabaseMaintenance()).isTrue();
        assertThat(ap.databaseMaintenanceStatus().installed()).isFalse();
        assertThat(ap.uninstallDatabaseMaintenance())
                .as("nothing left to remove")
                .isFalse();
    }

    @Test
    void schedulingWithoutPgCronFailsNamingTheFixAndChangesNothing() {
        AutoPartition ap =
                AutoPartition.configure(pg.dataSource()).catalogSchema("nocron").build();
        assertThatThrownBy(() -> ap.scheduleWithPgCron("*/10 * * * *"))
                .isInstanceOf(AutoPartitionException.class)
                .hasMessageStartingWith("Cannot schedule in-database maintenance: pg_cron is not installed on this"
                        + " server. Fix: install it (Debian and Ubuntu: apt-get install postgresql-"
                        + pg.majorVersion() + "-cron), add pg_cron to shared_preload_libraries")
                .hasMessageContaining(
                        "set cron.database_name = '" + pg.database().name() + "'")
                .hasMessageContaining("CREATE EXTENSION pg_cron in database");
        assertThatThrownBy(() -> ap.planScheduleWithPgCron("*/10 * * * *")).hasMessageContaining("pg_cron");
        assertThat(ap.databaseMaintenanceStatus().installed())
                .as("nothing installed")
                .isFalse();
        assertThatThrownBy(() -> ap.scheduleWithPgCron(" "))
                .isInstanceOf(InvalidSpecException.class)
                .hasMessageContaining("Fix: write five cron fields");
    }

    @Test
    void aCatalogNameWithQuotesAndPercentSignsWorks() {
        pg.execute("CREATE TABLE odd (ts timestamptz NOT NULL) PARTITION BY RANGE (ts)");
        Fixtures.MovableClock clock = new Fixtures.MovableClock("2022-01-10T12:00:00Z");
        AutoPartition ap = AutoPartition.configure(pg.dataSource())
                .clock(clock)
                .catalogSchema("ap 'q' %s \"x\"")
                .build();
        ap.installDatabaseMaintenance();
        ap.autoPartition(AutoPartitionSpec.builder(TableName.of("odd"), "ts")
                .increment("1 day")
                .minimumAdvancePartitions(1)
                .maximumAdvancePartitions(1)
                .enabled(false)
                .build());
        pg.execute(
                "UPDATE \"ap 'q' %s \"\"x\"\"\".managed_table SET enabled = true",
                "CALL \"ap 'q' %s \"\"x\"\"\".run_maintenance(p_now => '2022-01-10T12:00:00Z')");
        assertThat(Fixtures.partitionNames(pg, "odd")).containsExactly("odd_p20220110", "odd_p20220111");
        assertThat(Fixtures.strings(
                        pg, "SELECT state FROM \"ap 'q' %s \"\"x\"\"\".managed_partition ORDER BY partition_name"))
                .containsExactly("attached", "attached");
    }

    @Test
    void historyAndStatusFromJavaAndFromSql() {
        pg.execute("CREATE TABLE hist (ts timestamptz NOT NULL) PARTITION BY RANGE (ts)");
        Fixtures.MovableClock clock = new Fixtures.MovableClock("2022-01-10T12:00:00Z");
        AutoPartition ap = AutoPartition.configure(pg.dataSource())
                .clock(clock)
                .catalogSchema("hist")
                .build();
        ap.installDatabaseMaintenance();
        ap.autoPartition(AutoPartitionSpec.builder(TableName.of("hist"), "ts")
                .increment("1 day")
                .minimumAdvancePartitions(2)
                .maximumAdvancePartitions(4)
                .retention("3 days")
                .build());
        clock.set("2022-01-13T06:00:00Z");
        pg.execute("CALL hist.run_maintenance(p_now => '2022-01-13T06:00:00Z')");

        List<MaintenanceRun> runs = ap.maintenanceHistory(TableName.of("hist"), 10);
        assertThat(runs)
                .extracting(MaintenanceRun::runBy)
                .containsExactly(MaintenanceRun.Runner.DATABASE, MaintenanceRun.Runner.JAVA);
        assertThat(runs.get(1).created())
                .containsExactly(
                        "hist_p20220110", "hist_p20220111", "hist_p20220112", "hist_p20220113", "hist_p20220114");
        assertThat(runs.get(0).created()).containsExactly("hist_p20220115", "hist_p20220116", "hist_p20220117");
        assertThat(runs.get(0).outcome()).isEqualTo(MaintenanceRun.Outcome.CHANGED);
        assertThat(runs.get(0).databaseUser()).isNotBlank();

        TableStatus status = ap.status().get(0);
        assertThat(status.lastMaintainedBy()).isEqualTo("database");
        assertThat(status.lastRun()).isEqualTo(runs.get(0));
        assertThat(status.advancePartitions()).isEqualTo(4);
        assertThat(status.creationDue())
                .as("once fewer than 2 whole days lie ahead of the current one: on the 16th")
                .isEqualTo("2022-01-16 00:00:00+00:00");
        assertThat(status.nextPartition()).isEqualTo("hist_p20220118");
        assertThat(status.retentionPartition()).isEqualTo("hist_p20220110");
        assertThat(status.retentionDue())
                .as("its upper bound, the 11th, plus 3 days")
                .isEqualTo("2022-01-14 00:00:00+00:00");

        assertThat(Fixtures.strings(
                        pg,
                        "SELECT concat_ws(' | ', table_name, partitions, newest_bound,"
                                + " last_run_by, last_outcome, last_created, last_removed) FROM hist.table_status"))
                .as("the same from SQL")
                .containsExactly("hist | 8 | 2022-01-18 00:00:00+00:00 | database | changed | 3 | 0");
        assertThat(Fixtures.strings(pg, "SELECT partition_name FROM hist.plan_maintenance('2022-01-15T00:00:00Z')"))
                .as("what the procedure would do on the 15th: nothing to create, retention up to the 12th")
                .containsExactly("hist_p20220110", "hist_p20220111");
    }

    @Test
    void theHistoryKeepsABoundedNumberOfRowsPerTable() {
        pg.execute(
                "CREATE TABLE bounded (ts timestamptz NOT NULL) PARTITION BY RANGE (ts)",
                "CREATE TABLE other (ts timestamptz NOT NULL) PARTITION BY RANGE (ts)");
        Fixtures.MovableClock clock = new Fixtures.MovableClock("2022-01-10T12:00:00Z");
        AutoPartition ap = AutoPartition.configure(pg.dataSource())
                .clock(clock)
                .catalogSchema("bounded")
                .build();
        for (String table : List.of("bounded", "other")) {
            ap.autoPartition(AutoPartitionSpec.builder(TableName.of(table), "ts")
                    .increment("1 day")
                    .minimumAdvancePartitions(1)
                    .maximumAdvancePartitions(1)
                    .build());
        }
        pg.execute("UPDATE bounded.setting SET value = '3' WHERE name = 'history_rows_per_table'");
        for (int day = 0; day < 6; day++) {
            clock.advance(Duration.ofDays(1));
            ap.maintain(TableName.of("bounded"));
        }
        List<MaintenanceRun> runs = ap.maintenanceHistory(TableName.of("bounded"), 100);
        assertThat(runs).as("the newest 3 entries").hasSize(3);
        assertThat(runs.get(0).created()).containsExactly("bounded_p20220117");
        assertThat(ap.maintenanceHistory(TableName.of("other"), 100))
                .as("another table's entries are not trimmed by these")
                .hasSize(1);
    }

    @Test
    void aRuleTheProcedureCannotFollowIsReportedNotGuessed() {
        pg.execute("CREATE TABLE uuids (id uuid NOT NULL) PARTITION BY RANGE (id)");
        Fixtures.MovableClock clock = new Fixtures.MovableClock("2022-01-10T12:00:00Z");
        AutoPartition ap = AutoPartition.configure(pg.dataSource())
                .clock(clock)
                .catalogSchema("uuids")
                .build();
        ap.installDatabaseMaintenance();
        ap.autoPartition(AutoPartitionSpec.builder(TableName.of("uuids"), "id")
                .increment("1 day")
                .minimumAdvancePartitions(1)
                .maximumAdvancePartitions(1)
                .build());
        List<String> before = Fixtures.partitionNames(pg, "uuids");
        pg.execute("CALL uuids.run_maintenance(p_now => '2022-01-20T12:00:00Z')");
        assertThat(Fixtures.partitionNames(pg, "uuids")).as("nothing changed").isEqualTo(before);
        MaintenanceRun run = ap.maintenanceHistory(TableName.of("uuids"), 1).get(0);
        assertThat(run.runBy()).isEqualTo(MaintenanceRun.Runner.DATABASE);
        assertThat(run.outcome()).isEqualTo(MaintenanceRun.Outcome.FAILED);
        assertThat(run.error())
                .isEqualTo("plan: In-database maintenance cannot maintain public.uuids: its uuid key is not supported"
                        + " there. Fix: Maintain it with the Java maintainer (maintain(), the scheduler, the CLI).");
        assertThat(ap.status().get(0).creationDue())
                .as("only the Java maintainer plans UUID keys: the SQL status does not guess")
                .isNull();
    }

    @Test
    void wallClockTimesThatHappenTwiceOrNeverResolveAsInJava() {
        AutoPartition.configure(pg.dataSource()).catalogSchema("zones").build().maintain(); // installs the catalog
        List<String[]> cases = List.of(
                new String[] {"2018-02-17T23:30", "America/Sao_Paulo"}, // clocks back at midnight: twice
                new String[] {"2018-11-04T00:30", "America/Sao_Paulo"}, // clocks forward at midnight: never
                new String[] {"2022-10-30T02:30", "Europe/Berlin"},
                new String[] {"2022-03-27T02:30", "Europe/Berlin"},
                new String[] {"2022-04-03T01:45", "Australia/Lord_Howe"}, // back by 30 minutes
                new String[] {"2022-01-10T05:00", "+05:30"});
        for (String[] c : cases) {
            java.time.LocalDateTime local = java.time.LocalDateTime.parse(c[0]);
            long micros = local.atZone(java.time.ZoneId.of(c[1])).toInstant().toEpochMilli() * 1000;
            assertThat(Fixtures.number(pg, "SELECT zones._from_local('" + local + "', 'timestamptz', '" + c[1] + "')"))
                    .as("%s in %s", c[0], c[1])
                    .isEqualTo(micros);
        }
    }
}
