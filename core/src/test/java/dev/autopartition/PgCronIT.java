package dev.autopartition;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * In-database maintenance scheduled by a real pg_cron: the job is registered, pg_cron runs it (a {@code * * * * *}
 * schedule, so within about a minute) and the procedure creates the partitions and writes the history; uninstalling
 * removes the job.
 *
 * <p>It needs a server with pg_cron loaded, named by {@code AUTOPARTITION_PGCRON_JDBC_URL} (the database that
 * {@code cron.database_name} names, with {@code CREATE EXTENSION pg_cron} done), {@code AUTOPARTITION_PGCRON_USER} and
 * {@code AUTOPARTITION_PGCRON_PASSWORD} (or the system properties {@code autopartition.pgcron.jdbc.url}, ...). Without
 * them it is skipped, and says so. It works in its own catalog schema and table, dropped first.
 */
@Timeout(240)
class PgCronIT {
    private static final String CATALOG = "autopartition_pgcron_it";

    private static @Nullable String setting(String env, String property) {
        String value = System.getProperty(property);
        return value != null ? value : System.getenv(env);
    }

    private static Connection connect() throws SQLException {
        String url = setting("AUTOPARTITION_PGCRON_JDBC_URL", "autopartition.pgcron.jdbc.url");
        assumeThat(url)
                .as("no pg_cron server configured: set AUTOPARTITION_PGCRON_JDBC_URL (and _USER, _PASSWORD) to a"
                        + " database with pg_cron to run this test")
                .isNotNull();
        return DriverManager.getConnection(
                String.valueOf(url),
                setting("AUTOPARTITION_PGCRON_USER", "autopartition.pgcron.user"),
                setting("AUTOPARTITION_PGCRON_PASSWORD", "autopartition.pgcron.password"));
    }

    @Test
    void pgCronRunsTheProcedureOnItsSchedule() throws Exception {
        try (Connection connection = connect();
                Statement st = connection.createStatement()) {
            st.execute("SELECT cron.unschedule(jobid) FROM cron.job WHERE jobname LIKE 'autopartition-maintenance%"
                    + CATALOG + "'");
            st.execute("DROP SCHEMA IF EXISTS " + CATALOG + " CASCADE");
            st.execute("DROP TABLE IF EXISTS pgcron_events");
            st.execute("CREATE TABLE pgcron_events (ts timestamptz NOT NULL) PARTITION BY RANGE (ts)");
            AutoPartition ap =
                    AutoPartition.configure(connection).catalogSchema(CATALOG).build();
            // declared disabled, so that only pg_cron's runs create partitions
            ap.autoPartition(AutoPartitionSpec.builder(TableName.of("pgcron_events"), "ts")
                    .increment("1 hour")
                    .minimumAdvancePartitions(2)
                    .maximumAdvancePartitions(3)
                    .enabled(false)
                    .build());
            st.execute("UPDATE " + CATALOG + ".managed_table SET enabled = true");
            assertThat(strings(
                            st,
                            "SELECT relname FROM pg_inherits JOIN pg_class ON oid = inhrelid"
                                    + " WHERE inhparent = 'pgcron_events'::regclass"))
                    .isEmpty();

            long job = ap.scheduleWithPgCron("* * * * *");
            assertThat(strings(
                            st,
                            "SELECT jobname || ' | ' || schedule || ' | ' || command FROM cron.job WHERE jobid = "
                                    + job))
                    .containsExactly("autopartition-maintenance " + CATALOG + " | * * * * * | CALL \"" + CATALOG
                            + "\".run_maintenance()");
            assertThat(ap.databaseMaintenanceStatus().cronJobId()).isEqualTo(job);

            Instant deadline = Instant.now().plus(Duration.ofSeconds(150));
            List<String> runs = List.of();
            while (Instant.now().isBefore(deadline)) {
                runs = strings(
                        st,
                        "SELECT status || ' ' || coalesce(return_message, '') FROM cron.job_run_details"
                                + " WHERE jobid = " + job + " AND status IN ('succeeded', 'failed')");
                if (!runs.isEmpty()) {
                    break;
                }
                Thread.sleep(2000);
            }
            assertThat(runs).as("pg_cron ran the job within 150 s").isNotEmpty();
            assertThat(runs.get(0)).startsWith("succeeded");
            assertThat(strings(st, "SELECT count(*) FROM pg_inherits WHERE inhparent = 'pgcron_events'::regclass"))
                    .as("the current hour and 3 ahead")
                    .containsExactly("4");
            List<MaintenanceRun> history = ap.maintenanceHistory(TableName.of("pgcron_events"), 10);
            assertThat(history).isNotEmpty();
            assertThat(history.get(0).runBy()).isEqualTo(MaintenanceRun.Runner.DATABASE);
            assertThat(history.get(0).created()).hasSize(4);

            assertThat(ap.uninstallDatabaseMaintenance()).isTrue();
            assertThat(strings(st, "SELECT count(*) FROM cron.job WHERE jobid = " + job))
                    .containsExactly("0");
            assertThat(ap.databaseMaintenanceStatus().installed()).isFalse();
            st.execute("DROP TABLE pgcron_events");
            st.execute("DROP SCHEMA " + CATALOG + " CASCADE");
        }
    }

    private static List<String> strings(Statement st, String sql) throws SQLException {
        List<String> rows = new ArrayList<>();
        try (ResultSet rs = st.executeQuery(sql)) {
            while (rs.next()) {
                rows.add(rs.getString(1));
            }
        }
        return rows;
    }
}
