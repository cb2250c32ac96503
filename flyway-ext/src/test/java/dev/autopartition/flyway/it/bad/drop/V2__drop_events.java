package dev.autopartition.flyway.it.bad.drop;

import dev.autopartition.TableName;
import dev.autopartition.flyway.Partitioning;
import dev.autopartition.flyway.PartitioningMigration;

public class V2__drop_events extends PartitioningMigration {
    @Override
    protected void partitioning(Partitioning partitioning) {
        partitioning.dropPartition(TableName.of("bad_drop", "events"));
    }
}
