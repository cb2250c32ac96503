package dev.autopartition.flyway.it.migrate.online;

import dev.autopartition.AutoPartitionSpec;
import dev.autopartition.MigrationSpec;
import dev.autopartition.TableName;
import dev.autopartition.flyway.Partitioning;
import dev.autopartition.flyway.PartitioningMigration;

public class V3__partition_chat_messages extends PartitioningMigration {
    @Override
    protected void partitioning(Partitioning partitioning) {
        partitioning.migrateToPartitioned(
                MigrationSpec.builder(AutoPartitionSpec.builder(TableName.of("chat_messages"), "created_at")
                                .increment("1 day")
                                .maximumAdvancePartitions(3)
                                .retention("60 days")
                                .build())
                        .batchSize(2_000));
    }
}
