package dev.autopartition.flyway.it.operations;

import dev.autopartition.TableName;
import dev.autopartition.flyway.Partitioning;
import dev.autopartition.flyway.PartitioningMigration;

public class V6__stop_managing_metrics extends PartitioningMigration {
    @Override
    protected void partitioning(Partitioning partitioning) {
        partitioning.dropAutoPartition(TableName.of("metrics"));
    }
}
