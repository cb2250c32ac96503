package db.migration;

import dev.autopartition.AutoPartitionSpec;
import dev.autopartition.TableName;
import dev.autopartition.flyway.AutoPartitionMigration;

public class V2__partition_chat_messages extends AutoPartitionMigration {
    @Override
    protected AutoPartitionSpec spec() {
        return AutoPartitionSpec.builder(TableName.of("chat_messages"), "created_at")
                .increment("1 day")
                .retention("90 days")
                .build();
    }
}
