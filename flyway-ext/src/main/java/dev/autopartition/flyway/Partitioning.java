package dev.autopartition.flyway;

import dev.autopartition.AutoPartitionSpec;
import dev.autopartition.MigrationSpec;
import dev.autopartition.Operation;
import dev.autopartition.PartitionBounds;
import dev.autopartition.TableName;
import java.util.ArrayList;
import java.util.List;

/**
 * The changes of one {@link PartitioningMigration}, in the order they run. Declaring a change does nothing but record
 * it (and validate what can be validated without the database); the migration carries the changes out.
 *
 * <pre>{@code
 * @Override
 * protected void partitioning(Partitioning partitioning) {
 *     partitioning
 *             .createPartition(TableName.of("audit_log"), PartitionBounds.range("2020-01-01", "2021-01-01"))
 *             .dropPartition(TableName.of("audit_log_p2019"));
 * }
 * }</pre>
 */
public final class Partitioning {
    private final List<Operation<?>> operations = new ArrayList<>();

    Partitioning() {}

    /**
     * Declares the auto-partition rule of a table, or alters it when the table is already managed; its partitions are
     * created at once. An empty plain table is turned into a partitioned one. Runs in Flyway's transaction.
     */
    public Partitioning autoPartition(AutoPartitionSpec spec) {
        operations.add(new Operation.DeclareRule(spec));
        return this;
    }

    /** {@link #autoPartition(AutoPartitionSpec)} with a builder, which is validated here. */
    public Partitioning autoPartition(AutoPartitionSpec.Builder spec) {
        return autoPartition(spec.build());
    }

    /** Creates one partition named by the table's naming pattern. Runs in Flyway's transaction. */
    public Partitioning createPartition(TableName parent, PartitionBounds bounds) {
        operations.add(new Operation.CreatePartition(parent, null, bounds));
        return this;
    }

    /** Creates one partition with the given name. Runs in Flyway's transaction. */
    public Partitioning createPartition(TableName parent, String name, PartitionBounds bounds) {
        operations.add(new Operation.CreatePartition(parent, name, bounds));
        return this;
    }

    /** Removes a table's auto-partition rule; its partitions stay as they are. Runs in Flyway's transaction. */
    public Partitioning dropAutoPartition(TableName table) {
        operations.add(new Operation.DropRule(table));
        return this;
    }

    /**
     * Detaches one partition and drops it. Makes the migration non-transactional, so the partition is detached
     * concurrently where PostgreSQL allows it.
     */
    public Partitioning dropPartition(TableName partition) {
        operations.add(new Operation.DropPartition(partition));
        return this;
    }

    /**
     * Runs maintenance on every managed table: creates due partitions, applies retention. Makes the migration
     * non-transactional, so each step commits on its own.
     */
    public Partitioning maintain() {
        operations.add(new Operation.Maintain(null));
        return this;
    }

    /** Runs maintenance on one table. Makes the migration non-transactional. */
    public Partitioning maintain(TableName table) {
        operations.add(new Operation.Maintain(table));
        return this;
    }

    /**
     * Installs (or replaces) in-database maintenance: the procedure {@code autopartition.run_maintenance()}, which does
     * inside PostgreSQL what {@link #maintain()} does. Runs in Flyway's transaction.
     */
    public Partitioning installDatabaseMaintenance() {
        operations.add(new Operation.InstallDatabaseMaintenance(null));
        return this;
    }

    /**
     * Installs in-database maintenance and registers it with pg_cron at {@code cronSchedule} (such as {@code *}{@code
     * /10 * * * *}); fails, naming the fix, when pg_cron is not available in the database. Runs in Flyway's
     * transaction.
     */
    public Partitioning installDatabaseMaintenance(String cronSchedule) {
        operations.add(new Operation.InstallDatabaseMaintenance(cronSchedule));
        return this;
    }

    /** Removes in-database maintenance: its pg_cron job and its procedure. Runs in Flyway's transaction. */
    public Partitioning uninstallDatabaseMaintenance() {
        operations.add(new Operation.UninstallDatabaseMaintenance());
        return this;
    }

    /**
     * Migrates a plain table that has rows into a partitioned table of the same name, online, with {@link
     * dev.autopartition.AutoPartition#migrateToPartitioned(MigrationSpec)}: the new table is built beside it while
     * changes are recorded, loaded in batches, caught up and compared, then swapped in by one short cutover
     * transaction; the table is then managed by the spec's rule. Makes the migration non-transactional: the engine
     * commits each copy batch. A rerun after a failure (run {@code flyway repair} first) resumes where it stopped.
     *
     * <p>The partitions are loaded one after another on Flyway's connection; {@code parallelism} is not used. The
     * checksum covers the rule, the strategy, {@code cutover} and the widened foreign keys, not the tuning ({@code
     * batchSize}, {@code parallelism}, {@code pause}, {@code cutoverLockTimeout}, {@code cutoverAttempts}, the pacing budgets).
     */
    public Partitioning migrateToPartitioned(MigrationSpec spec) {
        operations.add(new Operation.Migrate(spec));
        return this;
    }

    /** {@link #migrateToPartitioned(MigrationSpec)} with a builder, which is validated here. */
    public Partitioning migrateToPartitioned(MigrationSpec.Builder spec) {
        return migrateToPartitioned(spec.build());
    }

    /**
     * Ends a migration that has cut over ({@link dev.autopartition.AutoPartition#finalizeMigration(TableName)}): drops
     * the original table, kept until now so the migration could be undone, and the migration's helpers. Run it in a
     * later migration, once the partitioned table has proved itself; nothing can be undone after it. Makes the
     * migration non-transactional.
     */
    public Partitioning finalizeMigration(TableName table) {
        operations.add(new Operation.MigrationStep(table, Operation.MigrationStep.Step.FINALIZE));
        return this;
    }

    List<Operation<?>> operations() {
        return List.copyOf(operations);
    }
}
