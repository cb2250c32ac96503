package dev.autopartition.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.autopartition.AutoPartition;
import dev.autopartition.AutoPartitionSpec;
import dev.autopartition.TableName;
import dev.autopartition.testing.PostgresExtension;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@code database-maintenance}: install, status, the procedure's history, pg_cron's absence, uninstall. */
class DatabaseMaintenanceCommandIT {
    @RegisterExtension
    static final PostgresExtension pg = new PostgresExtension();

    private static Cli.Result cli(String... args) throws Exception {
        return Cli.run(pg.database(), args);
    }

    @Test
    void installRunHistoryAndUninstall() throws Exception {
        pg.execute("CREATE TABLE events (created_at timestamptz NOT NULL) PARTITION BY RANGE (created_at)");
        AutoPartition.configure(pg.dataSource())
                .clock(Clock.fixed(Instant.parse("2022-01-10T12:00:00Z"), ZoneOffset.UTC))
                .build()
                .autoPartition(AutoPartitionSpec.builder(TableName.of("events"), "created_at")
                        .increment("1 day")
                        .minimumAdvancePartitions(1)
                        .maximumAdvancePartitions(1)
                        .build());

        Cli.Result dry = cli("database-maintenance", "install", "--dry-run", "--lock-timeout", "300ms");
        assertThat(dry.exitCode()).as(dry.toString()).isZero();
        assertThat(dry.out())
                .contains("CREATE OR REPLACE PROCEDURE \"autopartition\".run_maintenance(")
                .contains("p_lock_timeout_ms int DEFAULT 300");
        assertThat(cli("database-maintenance", "status").exitCode())
                .as("the dry run installed nothing")
                .isEqualTo(3);

        Cli.Result install = cli("database-maintenance", "install");
        assertThat(install.exitCode()).as(install.toString()).isZero();
        assertThat(install.out())
                .isEqualTo("installed \"autopartition\".run_maintenance; run it with: CALL"
                        + " \"autopartition\".run_maintenance();\n");
        Cli.Result status = cli("database-maintenance", "status");
        assertThat(status.exitCode()).as(status.toString()).isZero();
        assertThat(status.out())
                .isEqualTo("procedure  \"autopartition\".run_maintenance (installed)\npg_cron    not scheduled\n");

        pg.execute("CALL autopartition.run_maintenance(p_now => '2022-01-13T06:00:00Z')");
        Cli.Result history = cli("database-maintenance", "history", "--table", "events");
        assertThat(history.exitCode()).as(history.toString()).isZero();
        assertThat(history.out())
                .matches("(?s)2022-01-13T06:00:00Z  database  \"public\".\"events\"  changed in \\d+ ms; created"
                        + " events_p20220112, events_p20220113, events_p20220114\n"
                        + "2022-01-10T12:00:00Z  java  \"public\".\"events\"  changed in \\d+ ms; created"
                        + " events_p20220110, events_p20220111\n");

        Cli.Result schedule = cli("database-maintenance", "schedule", "*/10 * * * *");
        assertThat(schedule.exitCode()).as(schedule.toString()).isEqualTo(1);
        assertThat(schedule.err())
                .contains("pg_cron is not installed on this server")
                .contains("shared_preload_libraries")
                .contains("CREATE EXTENSION pg_cron");
        Cli.Result blank = cli("database-maintenance", "schedule", " ");
        assertThat(blank.exitCode()).as(blank.toString()).isEqualTo(1);
        assertThat(blank.err())
                .as("the field of a bad parameter is named as the parameter")
                .startsWith("error: The pg_cron schedule ' ' is empty")
                .endsWith(" (argument <cron>)\n");

        Cli.Result uninstall = cli("database-maintenance", "uninstall");
        assertThat(uninstall.out()).isEqualTo("removed in-database maintenance\n");
        assertThat(cli("database-maintenance", "status").exitCode()).isEqualTo(3);
    }
}
