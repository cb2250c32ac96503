package db.migration;

import dev.autopartition.PartitionBounds;
import dev.autopartition.TableName;
import dev.autopartition.flyway.Partitioning;
import dev.autopartition.flyway.PartitioningMigration;

public class V3__archive_2021 extends PartitioningMigration {
    @Override
    protected void partitioning(Partitioning partitioning) {
        partitioning.createPartition(
                TableName.of("chat_messages"),
                "chat_messages_2021",
                PartitionBounds.range("2021-01-01 00:00:00+00", "2022-01-01 00:00:00+00"));
    }
}
