package dev.autopartition.flyway.it.bad.increment;

import dev.autopartition.AutoPartitionSpec;
import dev.autopartition.TableName;
import dev.autopartition.flyway.AutoPartitionMigration;

public class V2__partition_events extends AutoPartitionMigration {
    @Override
    protected AutoPartitionSpec spec() {
        return AutoPartitionSpec.builder(TableName.of("bad_increment", "events"), "created_at")
                .increment("1 fortnight")
                .build();
    }
}
