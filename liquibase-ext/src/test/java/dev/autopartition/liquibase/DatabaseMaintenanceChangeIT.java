package dev.autopartition.liquibase;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.autopartition.testing.PostgresExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code installDatabaseMaintenance} installs the maintenance procedure (update-sql prints it), the procedure then
 * maintains the tables without Java, and a rollback removes it; with {@code cronSchedule} on a server without pg_cron
 * validation fails before anything changes, naming the fix.
 */
class DatabaseMaintenanceChangeIT {
    @RegisterExtension
    static final PostgresExtension pg = new PostgresExtension();

    private static final String CHANGELOG = "changelogs/dbmaint/install.xml";

    @Test
    void installsTheProcedureWhichMaintainsAndRollsBack() {
        pg.execute("CREATE TABLE readings (taken_at timestamptz NOT NULL, value int) PARTITION BY RANGE (taken_at)");
        Db db = new Db(pg.database());
        Lb lb = new Lb(pg.database());

        assertThat(lb.now("2022-01-10T08:00:00Z").updateSql(CHANGELOG))
                .contains("-- autopartition: installDatabaseMaintenance\n")
                .contains("CREATE OR REPLACE PROCEDURE \"autopartition\".run_maintenance(")
                .contains("p_lock_timeout_ms int DEFAULT 300")
                .contains("p_attempts int DEFAULT 3");

        lb.now("2022-01-10T08:00:00Z").update(CHANGELOG);
        assertThat(db.rows("SELECT count(*) FROM pg_proc WHERE proname = 'run_maintenance'"))
                .containsExactly("1");
        assertThat(db.partitionNames("readings"))
                .containsExactly("readings_p20220110", "readings_p20220111", "readings_p20220112");

        pg.execute("CALL autopartition.run_maintenance(p_now => '2022-01-13T08:00:00Z')");
        assertThat(db.partitionNames("readings"))
                .as("the procedure maintains the table on its own")
                .endsWith("readings_p20220114", "readings_p20220115");
        assertThat(db.rows("SELECT run_by || ' ' || outcome FROM autopartition.maintenance_run ORDER BY id DESC"
                        + " LIMIT 1"))
                .containsExactly("database changed");

        lb.rollbackCount(CHANGELOG, 1);
        assertThat(db.rows("SELECT count(*) FROM pg_proc WHERE proname = 'run_maintenance'"))
                .as("rolled back: the procedure is gone")
                .containsExactly("0");
        assertThat(db.rules()).as("the rule stays").hasSize(1);
    }

    @Test
    void aScheduleWithoutPgCronFailsValidationNamingTheFix() {
        assertThatThrownBy(() -> new Lb(pg.database()).update("changelogs/dbmaint/cron.yaml"))
                .hasMessageContaining("cronSchedule")
                .hasMessageContaining("pg_cron")
                .hasMessageContaining("shared_preload_libraries")
                .hasMessageContaining("cron.database_name")
                .hasMessageContaining("CREATE EXTENSION pg_cron");
        assertThat(new Db(pg.database()).rows("SELECT count(*) FROM pg_proc WHERE proname = 'run_maintenance'"))
                .as("nothing was installed")
                .containsExactly("0");
    }
}
