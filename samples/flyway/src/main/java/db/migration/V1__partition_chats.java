package db.migration;

import dev.autopartition.AutoPartitionSpec;
import dev.autopartition.MigrationSpec;
import dev.autopartition.RetentionAction;
import dev.autopartition.TableName;
import dev.autopartition.flyway.MigrateToPartitionedMigration;
import java.time.Duration;

/**
 * The plain {@code chats} table becomes a table partitioned by day, online: the application keeps writing while it is
 * copied, and waits only for one short cutover.
 *
 * <p>Its primary key becomes {@code (id, created_at)}, as a partitioned table's keys must hold the partition key, so
 * the foreign key {@code chat_messages(chat_id) -> chats(id)} is widened with the column that holds the chat's {@code
 * created_at}: {@code chat_messages(chat_id, chat_created_at) -> chats(id, created_at)}. The migration commits as it
 * goes (and resumes when it runs again after a failure), so it runs outside Flyway's transaction.
 */
public class V1__partition_chats extends MigrateToPartitionedMigration {
    @Override
    protected MigrationSpec spec() {
        return MigrationSpec.builder(AutoPartitionSpec.builder(TableName.of("chats"), "created_at")
                        .increment("1 day")
                        .minimumAdvancePartitions(2)
                        .maximumAdvancePartitions(4)
                        .retention("30 days")
                        .retentionAction(RetentionAction.DROP)
                        .build())
                .foreignKeyKeyColumn("chat_messages_chat_id_fkey", "chat_created_at")
                .cutoverLockTimeout(Duration.ofMillis(300))
                .cutoverAttempts(20)
                .build();
    }
}
