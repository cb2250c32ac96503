package dev.autopartition.flyway.it.bad.empty;

import dev.autopartition.flyway.Partitioning;
import dev.autopartition.flyway.PartitioningMigration;

public class V2__nothing extends PartitioningMigration {
    @Override
    protected void partitioning(Partitioning partitioning) {
        // forgot to declare anything
    }
}
