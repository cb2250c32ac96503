package dev.autopartition.flyway.it.migrate.resume;

import dev.autopartition.AutoPartitionSpec;
import dev.autopartition.MigrationSpec;
import dev.autopartition.TableName;
import dev.autopartition.flyway.MigrateToPartitionedMigration;
import java.time.Duration;

public class V2__partition_chat_messages extends MigrateToPartitionedMigration {
    @Override
    protected MigrationSpec spec() {
        return MigrationSpec.builder(AutoPartitionSpec.builder(TableName.of("chat_messages"), "created_at")
                        .increment("1 day")
                        .build())
                // give up on the cutover quickly when a long transaction holds the table
                .cutoverLockTimeout(Duration.ofMillis(100))
                .cutoverAttempts(2)
                .batchSize(2_000)
                .build();
    }
}
