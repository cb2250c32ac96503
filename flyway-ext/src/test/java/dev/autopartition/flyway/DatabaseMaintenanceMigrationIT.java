package dev.autopartition.flyway;

import static org.assertj.core.api.Assertions.assertThat;

import dev.autopartition.testing.PostgresExtension;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@code installDatabaseMaintenance()} in a Java migration installs the procedure, which then maintains the table. */
class DatabaseMaintenanceMigrationIT {
    @RegisterExtension
    static final PostgresExtension pg = new PostgresExtension();

    @Test
    void theMigrationInstallsTheProcedure() {
        pg.execute("CREATE TABLE readings (taken_at timestamptz NOT NULL) PARTITION BY RANGE (taken_at)");
        Flyway flyway = Db.flyway(pg, "2022-01-10T12:00:00Z", "classpath:dev/autopartition/flyway/it/dbmaint")
                .load();
        assertThat(flyway.migrate().migrationsExecuted).isEqualTo(2);
        assertThat(Db.partitionNames(pg, "readings")).containsExactly("readings_p20220110", "readings_p20220111");
        pg.execute("CALL autopartition.run_maintenance(p_now => '2022-01-13T12:00:00Z')");
        assertThat(Db.partitionNames(pg, "readings"))
                .as("the procedure created what the 13th needs, without Flyway or the application")
                .endsWith("readings_p20220113", "readings_p20220114");
        assertThat(flyway.validateWithResult().validationSuccessful).isTrue();
    }
}
