package dev.autopartition.flyway.it.operations;

import dev.autopartition.AutoPartitionSpec;
import dev.autopartition.TableName;
import dev.autopartition.flyway.Partitioning;
import dev.autopartition.flyway.PartitioningMigration;

public class V3__partition_metrics extends PartitioningMigration {
    @Override
    protected void partitioning(Partitioning partitioning) {
        partitioning.autoPartition(AutoPartitionSpec.builder(TableName.of("metrics"), "id")
                .increment("100000")
                .minimumAdvancePartitions(1)
                .maximumAdvancePartitions(2));
    }
}
