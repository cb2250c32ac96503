package dev.autopartition.flyway;

import dev.autopartition.MigrationSpec;

/**
 * A Flyway Java migration that migrates one plain table with rows (and live traffic) into a partitioned table of the
 * same name, online, with {@link dev.autopartition.AutoPartition#migrateToPartitioned(MigrationSpec)}:
 *
 * <pre>{@code
 * public class V2__partition_chats extends MigrateToPartitionedMigration {
 *     @Override
 *     protected MigrationSpec spec() {
 *         return MigrationSpec.builder(AutoPartitionSpec.builder(TableName.of("chats"), "created_at")
 *                         .increment("1 day")
 *                         .build())
 *                 .foreignKeyKeyColumn("chat_messages_chat_id_fkey", "chat_created_at")
 *                 .build();
 *     }
 * }
 * }</pre>
 *
 * <ul>
 *   <li><b>Transactions.</b> The migration runs outside Flyway's transaction ({@link #canExecuteInTransaction()} is
 *       false): the engine commits every copy batch with its progress, and cuts over in one short transaction.
 *   <li><b>Resuming.</b> When it fails (the cutover did not get its lock within {@code cutoverAttempts}, the process
 *       was killed), run {@code flyway migrate} again: the migration resumes where it stopped, from the progress
 *       recorded in the engine's catalog. Under Flyway's PostgreSQL transactional lock (the default) the failure leaves
 *       no schema-history row, so migrate simply runs it again. With {@code
 *       flyway.postgresql.transactional.lock=false} Flyway records it as failed and refuses to migrate ("Detected
 *       failed migration"): run {@code flyway repair} first.
 *   <li><b>Checksum.</b> Computed from the rule, the strategy, {@code cutover} and the widened foreign keys; the
 *       tuning ({@code batchSize}, {@code parallelism}, {@code pause}, {@code cutoverLockTimeout}, {@code
 *       cutoverAttempts}, the pacing budgets) is left out, so it can be changed before a rerun.
 *   <li><b>Connections.</b> Everything runs on Flyway's connection; partitions are loaded one after another ({@code
 *       parallelism} is not used).
 *   <li><b>Pacing.</b> The spec's budgets ({@code latencyBudget}, {@code latencyFloor}, {@code standbyLagBudget},
 *       on by default, {@code pacing(false)} turns them off) hold the copy back; on Flyway's one connection there is
 *       no second connection to probe with, so the pacer judges the application's room by how long the copy's own
 *       batches take.
 *   <li><b>Flyway's transactional lock.</b> The {@code COPY} strategy (the default) works with {@code
 *       flyway.postgresql.transactional.lock} on (the default). The {@code ATTACH} strategy of a table with a primary
 *       key or unique constraint builds indexes with {@code CREATE INDEX CONCURRENTLY}, which would wait for Flyway's
 *       open transaction: it fails at once, before changing anything, with a message naming {@code
 *       flyway.postgresql.transactional.lock=false}.
 * </ul>
 *
 * <p>See {@link PartitioningMigration} for settings; {@code Partitioning.migrateToPartitioned} declares the same
 * change among others.
 */
public abstract class MigrateToPartitionedMigration extends PartitioningMigration {
    /** The migration; called when Flyway resolves migrations, must not touch the database. */
    protected abstract MigrationSpec spec();

    @Override
    protected final void partitioning(Partitioning partitioning) {
        partitioning.migrateToPartitioned(spec());
    }
}
