package dev.autopartition.flyway.it.operations;

import dev.autopartition.AutoPartitionSpec;
import dev.autopartition.TableName;
import dev.autopartition.flyway.AutoPartitionMigration;

public class V2__partition_chat_messages extends AutoPartitionMigration {
    @Override
    protected AutoPartitionSpec spec() {
        return AutoPartitionSpec.builder(TableName.of("chat_messages"), "created_at")
                .increment("1 day")
                .minimumAdvancePartitions(2)
                .maximumAdvancePartitions(3)
                .retention("30 days")
                .build();
    }
}
