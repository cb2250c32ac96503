package dev.autopartition.flyway.it.edit.tuned;

import dev.autopartition.AutoPartitionSpec;
import dev.autopartition.TableName;
import dev.autopartition.flyway.AutoPartitionMigration;
import java.time.Duration;

/** The same migration with a longer lock timeout: tuning, not part of the checksum. */
public class V2__partition_events extends AutoPartitionMigration {
    @Override
    protected AutoPartitionSpec spec() {
        return AutoPartitionSpec.builder(TableName.of("events"), "created_at")
                .increment("1 days") // the same increment, spelled differently
                .retention("30 days")
                .build();
    }

    @Override
    protected Duration lockTimeout() {
        return Duration.ofSeconds(2);
    }
}
