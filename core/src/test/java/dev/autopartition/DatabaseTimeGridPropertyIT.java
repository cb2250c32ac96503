package dev.autopartition;

import dev.autopartition.testing.PostgresExtension;
import java.time.Instant;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The time-grid property, with the in-database procedure. */
class DatabaseTimeGridPropertyIT extends TimeGridProperty {
    @RegisterExtension
    static final PostgresExtension pg = new PostgresExtension();

    @Override
    PostgresExtension pg() {
        return pg;
    }

    @Override
    MaintenanceRun.Runner runner() {
        return MaintenanceRun.Runner.DATABASE;
    }

    @Override
    void prepare(AutoPartition ap) {
        ap.installDatabaseMaintenance();
    }

    @Override
    void maintain(AutoPartition ap, Fixtures.MovableClock clock, TableName table, Instant now) {
        pg.execute("CALL autopartition.run_maintenance('" + table + "', '" + now + "')");
    }
}
