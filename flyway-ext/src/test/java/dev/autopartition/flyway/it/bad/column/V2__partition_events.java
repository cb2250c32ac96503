package dev.autopartition.flyway.it.bad.column;

import dev.autopartition.AutoPartitionSpec;
import dev.autopartition.TableName;
import dev.autopartition.flyway.AutoPartitionMigration;

public class V2__partition_events extends AutoPartitionMigration {
    @Override
    protected AutoPartitionSpec spec() {
        return AutoPartitionSpec.builder(TableName.of("bad_column", "events"), "createdat")
                .increment("1 day")
                .build();
    }
}
