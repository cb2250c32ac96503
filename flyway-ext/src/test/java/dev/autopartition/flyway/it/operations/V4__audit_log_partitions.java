package dev.autopartition.flyway.it.operations;

import dev.autopartition.PartitionBounds;
import dev.autopartition.TableName;
import dev.autopartition.flyway.Partitioning;
import dev.autopartition.flyway.PartitioningMigration;

public class V4__audit_log_partitions extends PartitioningMigration {
    @Override
    protected void partitioning(Partitioning partitioning) {
        TableName auditLog = TableName.of("audit_log");
        TableName tenantSettings = TableName.of("tenant_settings");
        partitioning
                .createPartition(auditLog, "audit_log_2021", PartitionBounds.range("0", "1000000"))
                .createPartition(auditLog, "audit_log_2022", PartitionBounds.range("1000000", "2000000"))
                .createPartition(tenantSettings, PartitionBounds.values("acme", "globex"))
                .createPartition(tenantSettings, PartitionBounds.defaultPartition());
    }
}
