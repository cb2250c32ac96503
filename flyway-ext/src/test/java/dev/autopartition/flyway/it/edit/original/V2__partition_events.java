package dev.autopartition.flyway.it.edit.original;

import dev.autopartition.AutoPartitionSpec;
import dev.autopartition.TableName;
import dev.autopartition.flyway.AutoPartitionMigration;

public class V2__partition_events extends AutoPartitionMigration {
    @Override
    protected AutoPartitionSpec spec() {
        return AutoPartitionSpec.builder(TableName.of("events"), "created_at")
                .increment("1 day")
                .retention("30 days")
                .build();
    }
}
