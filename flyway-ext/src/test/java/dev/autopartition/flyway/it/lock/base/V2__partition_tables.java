package dev.autopartition.flyway.it.lock.base;

import dev.autopartition.AutoPartitionSpec;
import dev.autopartition.TableName;
import dev.autopartition.flyway.Partitioning;
import dev.autopartition.flyway.PartitioningMigration;

public class V2__partition_tables extends PartitioningMigration {
    @Override
    protected void partitioning(Partitioning partitioning) {
        for (String table : new String[] {"events", "clicks"}) {
            partitioning.autoPartition(AutoPartitionSpec.builder(TableName.of(table), "created_at")
                    .increment("1 day")
                    .minimumAdvancePartitions(1)
                    .maximumAdvancePartitions(1)
                    .retention("2 days"));
        }
    }
}
