package dev.autopartition.flyway.it.operations;

import dev.autopartition.TableName;
import dev.autopartition.flyway.Partitioning;
import dev.autopartition.flyway.PartitioningMigration;

public class V5__retire_audit_log_2021 extends PartitioningMigration {
    @Override
    protected void partitioning(Partitioning partitioning) {
        partitioning.dropPartition(TableName.of("audit_log_2021"));
    }
}
