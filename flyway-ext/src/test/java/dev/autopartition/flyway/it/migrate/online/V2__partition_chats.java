package dev.autopartition.flyway.it.migrate.online;

import dev.autopartition.AutoPartitionSpec;
import dev.autopartition.MigrationSpec;
import dev.autopartition.TableName;
import dev.autopartition.flyway.MigrateToPartitionedMigration;

public class V2__partition_chats extends MigrateToPartitionedMigration {
    @Override
    protected MigrationSpec spec() {
        return MigrationSpec.builder(AutoPartitionSpec.builder(TableName.of("chats"), "created_at")
                        .increment("1 day")
                        .maximumAdvancePartitions(3)
                        .build())
                // chat_messages references chats (id): widen that foreign key with the column holding the chat's key
                .foreignKeyKeyColumn("chat_messages_chat_id_fkey", "chat_created_at")
                .batchSize(2_000)
                .build();
    }
}
