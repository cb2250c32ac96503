package dev.autopartition.flyway;

import dev.autopartition.AutoPartitionSpec;

/**
 * A Flyway Java migration that declares (or alters) the auto-partition rule of one table:
 *
 * <pre>{@code
 * public class V2__partition_chat_messages extends AutoPartitionMigration {
 *     @Override
 *     protected AutoPartitionSpec spec() {
 *         return AutoPartitionSpec.builder(TableName.of("chat_messages"), "created_at")
 *                 .increment("1 day")
 *                 .retention("90 days")
 *                 .build();
 *     }
 * }
 * }</pre>
 *
 * <p>The partitions the rule asks for are created at once, inside Flyway's transaction. The checksum is computed from
 * the spec, so editing the spec of a migration that ran is reported by {@code flyway validate}; to change a rule,
 * write a new migration with the new spec. See {@link PartitioningMigration} for transactions and settings.
 */
public abstract class AutoPartitionMigration extends PartitioningMigration {
    /** The rule; called when Flyway resolves migrations, must not touch the database. */
    protected abstract AutoPartitionSpec spec();

    @Override
    protected final void partitioning(Partitioning partitioning) {
        partitioning.autoPartition(spec());
    }
}
