package db.migration;

import dev.autopartition.AutoPartitionSpec;
import dev.autopartition.MigrationSpec;
import dev.autopartition.RetentionAction;
import dev.autopartition.TableName;
import dev.autopartition.flyway.MigrateToPartitionedMigration;
import java.time.Duration;

/**
 * Then the messages, the big table. The rule (advance partitions, retention) is what {@code AutoPartitionCallback}
 * keeps after every {@code flyway migrate}.
 */
public class V2__partition_chat_messages extends MigrateToPartitionedMigration {
    @Override
    protected MigrationSpec spec() {
        return MigrationSpec.builder(AutoPartitionSpec.builder(TableName.of("chat_messages"), "created_at")
                        .increment("1 day")
                        .minimumAdvancePartitions(2)
                        .maximumAdvancePartitions(4)
                        .retention("30 days")
                        .retentionAction(RetentionAction.DROP)
                        .build())
                .batchSize(20_000)
                .cutoverLockTimeout(Duration.ofMillis(300))
                .cutoverAttempts(20)
                .build();
    }
}
