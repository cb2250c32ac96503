package dev.autopartition;

import dev.autopartition.testing.PostgresExtension;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The maintenance behaviour, carried out by the Java maintainer. */
class JavaMaintenanceBehaviourIT extends MaintenanceBehaviour {
    @RegisterExtension
    static final PostgresExtension pg = new PostgresExtension();

    @Override
    PostgresExtension pg() {
        return pg;
    }

    @Override
    MaintenanceRun.Runner runner() {
        return MaintenanceRun.Runner.JAVA;
    }

    @Override
    void maintain(AutoPartition ap, Fixtures.MovableClock clock) {
        ap.maintain();
    }
}
