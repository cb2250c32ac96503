package dev.autopartition.flyway.it.operations;

import dev.autopartition.flyway.Partitioning;
import dev.autopartition.flyway.PartitioningMigration;

public class V7__maintain extends PartitioningMigration {
    @Override
    protected void partitioning(Partitioning partitioning) {
        partitioning.maintain();
    }
}
