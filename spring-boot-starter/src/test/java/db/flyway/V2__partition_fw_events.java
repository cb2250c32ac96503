package db.flyway;

import dev.autopartition.AutoPartitionSpec;
import dev.autopartition.TableName;
import dev.autopartition.flyway.AutoPartitionMigration;

/** Declares the rule of the table V1 created. */
public class V2__partition_fw_events extends AutoPartitionMigration {
    @Override
    protected AutoPartitionSpec spec() {
        return AutoPartitionSpec.builder(TableName.of("fw_events"), "created_at")
                .increment("1 day")
                .minimumAdvancePartitions(2)
                .maximumAdvancePartitions(5)
                .build();
    }
}
