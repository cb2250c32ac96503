package dev.autopartition;

import dev.autopartition.testing.PostgresExtension;
import java.time.Instant;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The time-grid property, with the Java maintainer. */
class JavaTimeGridPropertyIT extends TimeGridProperty {
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
    void maintain(AutoPartition ap, Fixtures.MovableClock clock, TableName table, Instant now) {
        clock.set(now.toString());
        ap.maintain(table);
    }
}
