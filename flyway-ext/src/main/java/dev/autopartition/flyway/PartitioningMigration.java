package dev.autopartition.flyway;

import dev.autopartition.AutoPartition;
import dev.autopartition.InvalidSpecException;
import dev.autopartition.Operation;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;
import java.util.zip.CRC32;
import org.flywaydb.core.api.logging.Log;
import org.flywaydb.core.api.logging.LogFactory;
import org.flywaydb.core.api.migration.BaseJavaMigration;
import org.flywaydb.core.api.migration.Context;
import org.jspecify.annotations.Nullable;

/**
 * A Flyway Java migration made of partitioning changes. Name the subclass like any Java migration ({@code
 * V7__partition_events}) and declare its changes:
 *
 * <pre>{@code
 * public class V7__retire_2019 extends PartitioningMigration {
 *     @Override
 *     protected void partitioning(Partitioning partitioning) {
 *         partitioning.dropPartition(TableName.of("audit_log_2019"));
 *     }
 * }
 * }</pre>
 *
 * <ul>
 *   <li><b>Checksum.</b> {@link #getChecksum()} is computed from the declared changes, so {@code flyway validate}
 *       reports a migration that was edited after it ran. Tuning ({@link #lockTimeout()}) is not part of it.
 *   <li><b>Transactions.</b> Declaring rules, creating partitions and dropping rules run in Flyway's transaction
 *       (all or nothing). A migration with {@code dropPartition}, {@code maintain} or {@code migrateToPartitioned}
 *       runs outside it ({@link #canExecuteInTransaction()} is false): each step commits on its own, partitions are
 *       detached concurrently, and a migration to a partitioned table commits every copy batch. If such a migration
 *       fails half way, migrate again (when Flyway recorded it as failed, which it does with {@code
 *       flyway.postgresql.transactional.lock=false}, run {@code flyway repair} first). Every step checks the catalog
 *       first, so what is done is skipped, and a migration to a partitioned table resumes where it stopped.
 *   <li><b>Flyway's transactional lock.</b> Outside Flyway's transaction, a step that would wait for Flyway's own
 *       open transaction fails at once with a message naming {@code flyway.postgresql.transactional.lock=false}.
 *   <li><b>Settings.</b> The catalog schema, lock timeout and clock come from {@link FlywaySettings}.
 * </ul>
 *
 * <p>{@link #partitioning(Partitioning)} is called when Flyway resolves migrations (for the checksum and the
 * transaction mode), before any connection exists: it must only declare changes.
 */
public abstract class PartitioningMigration extends BaseJavaMigration {
    /** Bump only with a deliberate, documented change of every checksum. */
    private static final String CHECKSUM_FORMAT = "autopartition-flyway/1";

    /** What else a user can do when a migration to a partitioned table would wait for Flyway's lock. */
    private static final String MIGRATE_ALTERNATIVE =
            ", or use the COPY strategy, which builds no index" + " concurrently";

    private @Nullable List<Operation<?>> operations;

    /** Declares the changes of this migration; called once, must not touch the database. */
    protected abstract void partitioning(Partitioning partitioning);

    /**
     * How long one statement waits for a lock before it gives up and is retried, or null (the default) for the
     * {@code lockTimeout} setting. Tuning: not part of the checksum.
     */
    protected @Nullable Duration lockTimeout() {
        return null;
    }

    final List<Operation<?>> operations() {
        List<Operation<?>> declared = operations;
        if (declared == null) {
            Partitioning partitioning = new Partitioning();
            partitioning(partitioning);
            declared = partitioning.operations();
            if (declared.isEmpty()) {
                throw new InvalidSpecException("Migration " + getClass().getName() + " declares no partitioning"
                        + " changes. Fix: declare at least one in partitioning(...), or delete the migration.");
            }
            operations = declared;
        }
        return declared;
    }

    /** The canonical text of the declared changes, from which {@link #getChecksum()} is computed. */
    final String canonical() {
        return CHECKSUM_FORMAT + "\n"
                + operations().stream().map(Operation::canonical).collect(Collectors.joining("\n--\n"));
    }

    /** A CRC32 of the declared changes (every option that shapes the result; no tuning). */
    @Override
    public Integer getChecksum() {
        CRC32 crc = new CRC32();
        crc.update(canonical().getBytes(StandardCharsets.UTF_8));
        return (int) crc.getValue();
    }

    /**
     * False when a change detaches partitions ({@code dropPartition}, {@code maintain}) or migrates a table ({@code
     * migrateToPartitioned}); see the class comment.
     */
    @Override
    public boolean canExecuteInTransaction() {
        return operations().stream().allMatch(Operation::transactional);
    }

    @Override
    public void migrate(Context context) throws Exception {
        List<Operation<?>> declared = operations();
        Log log = LogFactory.getLog(getClass());
        Connection connection = context.getConnection();
        FlywaySettings settings = FlywaySettings.from(context.getConfiguration());
        AutoPartition engine = settings.engine(connection, lockTimeout());
        boolean ownTransactions = AutoPartitionCallback.autoCommit(connection);
        for (Operation<?> operation : declared) {
            if (ownTransactions) {
                FlywayLockGuard.check(
                        connection,
                        () -> engine.plan(operation),
                        plan -> FlywayChanges.waitsForFlyway(operation, plan),
                        "Migration " + getClass().getName(),
                        operation instanceof Operation.Migrate
                                ? MIGRATE_ALTERNATIVE
                                : FlywayLockGuard.CALLBACK_ALTERNATIVE);
            }
            log.info("autopartition: " + FlywayChanges.apply(engine, operation));
        }
    }
}
