package dev.autopartition.flyway.it.lock.maintain;

import dev.autopartition.TableName;
import dev.autopartition.flyway.Partitioning;
import dev.autopartition.flyway.PartitioningMigration;

public class V3__maintain_events extends PartitioningMigration {
    @Override
    protected void partitioning(Partitioning partitioning) {
        partitioning.maintain(TableName.of("events"));
    }
}
