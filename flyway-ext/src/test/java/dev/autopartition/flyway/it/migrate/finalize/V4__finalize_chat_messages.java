package dev.autopartition.flyway.it.migrate.finalize;

import dev.autopartition.TableName;
import dev.autopartition.flyway.Partitioning;
import dev.autopartition.flyway.PartitioningMigration;

/** A later release: the partitioned chat_messages has proved itself, so the original kept for an undo goes. */
public class V4__finalize_chat_messages extends PartitioningMigration {
    @Override
    protected void partitioning(Partitioning partitioning) {
        partitioning.finalizeMigration(TableName.of("chat_messages"));
    }
}
