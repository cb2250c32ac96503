package dev.autopartition;

import dev.autopartition.testing.PostgresExtension;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The maintenance behaviour, carried out by the in-database procedure, as pg_cron would call it. */
class DatabaseMaintenanceBehaviourIT extends MaintenanceBehaviour {
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
    void maintain(AutoPartition ap, Fixtures.MovableClock clock) {
        // on its own, in auto-commit mode, as pg_cron runs it: the procedure commits as it goes
        pg.execute("CALL \"Auto Partition\".run_maintenance(p_now => '" + clock.instant() + "')");
    }
}
