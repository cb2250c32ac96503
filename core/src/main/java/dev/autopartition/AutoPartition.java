package dev.autopartition;

import dev.autopartition.internal.catalog.EngineCatalog;
import dev.autopartition.internal.exec.Engine;
import dev.autopartition.internal.exec.Settings;
import dev.autopartition.internal.migrate.Migrator;
import dev.autopartition.internal.run.ConnectionSource;
import java.sql.Connection;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.BiFunction;
import javax.sql.DataSource;
import org.jspecify.annotations.Nullable;

/**
 * The entry point: automatic range partitioning for PostgreSQL tables, kept current by maintenance.
 *
 * <pre>{@code
 * AutoPartition ap = AutoPartition.configure(dataSource).build();
 * ap.autoPartition(AutoPartitionSpec.builder(TableName.of("chat_messages"), "created_at")
 *         .increment("1 day")
 *         .retention("90 days")
 *         .build());
 * MaintenanceReport report = ap.maintain();
 * }</pre>
 *
 * <p>An instance is immutable and thread-safe; every call takes a connection from the data source and returns it.
 * Running maintenance from many application instances at once is safe: each table is worked on under an advisory
 * lock, and a table another maintainer is busy with is skipped, not waited for.
 */
public final class AutoPartition {
    private static final Duration DEFAULT_MIGRATION_STUCK_AFTER = Duration.ofMinutes(15);

    private final Engine engine;
    private final Settings settings;

    private AutoPartition(Engine engine, Settings settings) {
        this.engine = engine;
        this.settings = settings;
    }

    /** Configures an instance that takes connections from a data source. */
    public static Builder configure(DataSource dataSource) {
        return new Builder(ConnectionSource.of(Objects.requireNonNull(dataSource, "dataSource")));
    }

    /**
     * Configures an instance that works on one connection the caller owns (and closes). With auto-commit on, each
     * step commits on its own; partitions are then removed with {@code DETACH ... CONCURRENTLY} where possible.
     */
    public static Builder configure(Connection connection) {
        return new Builder(ConnectionSource.of(Objects.requireNonNull(connection, "connection")));
    }

    /**
     * Carries out an operation: what every front end (Liquibase, Flyway, the CLI, the Maven goals) calls.
     *
     * @return what the operation returns, such as the {@link TableReport} of a {@link Operation.DeclareRule}
     * @throws InvalidSpecException before anything changes, when the operation does not fit the database; its {@link
     *     InvalidSpecException#field()} names the offending option
     */
    public <R> R apply(Operation<R> operation) {
        return Objects.requireNonNull(operation, "operation").applyTo(this);
    }

    /**
     * What {@link #apply} would do now, without doing it: the dry run of every front end ({@code update-sql}, {@code
     * --dry-run}, the {@code plan} goal).
     */
    public Plan plan(Operation<?> operation) {
        return Objects.requireNonNull(operation, "operation").planOn(this);
    }

    /**
     * Declares the auto-partition rule of a table, or alters it when the table is already managed, then runs
     * maintenance on it so its partitions exist at once. An existing partitioned table has its partitions adopted; an
     * empty plain table is turned into a partitioned one; a plain table with rows is refused (use
     * migrateToPartitioned).
     *
     * @return what the first maintenance run did
     * @throws InvalidSpecException before anything changes, when the spec does not fit the table
     */
    public TableReport autoPartition(AutoPartitionSpec spec) {
        return engine.declare(spec);
    }

    /** What {@link #autoPartition} would do, without doing it (nothing is written, not even the catalog). */
    public Plan planAutoPartition(AutoPartitionSpec spec) {
        return engine.planDeclare(spec);
    }

    /**
     * Removes a table's auto-partition rule; its partitions stay as they are.
     *
     * @return whether the table had a rule
     */
    public boolean dropAutoPartition(TableName table) {
        return engine.dropRule(table);
    }

    /** What {@link #dropAutoPartition} would do, without doing it. */
    public Plan planDropAutoPartition(TableName table) {
        return engine.planDropRule(table);
    }

    /**
     * Creates one partition as a standalone table and attaches it (rows of its range that sit in the default
     * partition move into it first).
     *
     * @param name the partition's name, or null for one from the naming pattern
     */
    public PartitionInfo createPartition(TableName parent, @Nullable String name, PartitionBounds bounds) {
        return engine.createPartition(parent, name, bounds);
    }

    /** What {@link #createPartition} would do, without doing it. */
    public Plan planCreatePartition(TableName parent, @Nullable String name, PartitionBounds bounds) {
        return engine.planCreatePartition(parent, name, bounds);
    }

    /** Detaches one partition (concurrently where PostgreSQL allows it) and drops it. */
    public void dropPartition(TableName partition) {
        engine.dropPartition(partition);
    }

    /** What {@link #dropPartition} would do, without doing it. */
    public Plan planDropPartition(TableName partition) {
        return engine.planDropPartition(partition);
    }

    /**
     * The partition that holds a key value (written as a user writes it: {@code 2022-01-31 13:00:00+00}, {@code
     * 2022-01-31}, {@code 42}), or the default partition, or empty when no partition holds it.
     */
    public Optional<PartitionInfo> findPartition(TableName table, String value) {
        return engine.findPartition(table, value);
    }

    /**
     * Waits until a range partition holds the value, checking every 100 ms.
     *
     * @throws AutoPartitionException when none does within the timeout
     */
    public PartitionInfo waitForPartition(TableName table, String value, Duration timeout) {
        Instant deadline = Instant.now().plus(timeout);
        while (true) {
            Optional<PartitionInfo> found = findPartition(table, value).filter(p -> !p.isDefault());
            if (found.isPresent()) {
                return found.get();
            }
            if (Instant.now().isAfter(deadline)) {
                throw new AutoPartitionException("No partition of " + table + " holds " + value + " after "
                        + timeout.toMillis() + " ms. Fix: run maintenance (it creates partitions ahead of the clock),"
                        + " or raise maximumAdvancePartitions.");
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AutoPartitionException("Interrupted while waiting for a partition of " + table, e);
            }
        }
    }

    /**
     * Migrates a plain table with live traffic into a partitioned table of the same name, online: the new table is
     * built beside it while changes are recorded, loaded in batches, caught up and compared, then swapped in by one
     * short transaction. Calling it again after a crash resumes where the migration stopped; calling it after the
     * cutover returns its status. With {@code cutover(false)} it stops before the cutover, at {@code VERIFIED}.
     *
     * @throws InvalidSpecException before anything changes, when the table cannot be migrated safely
     * @throws LockTimeoutException when the cutover did not get its lock within its budget (run again later)
     */
    public MigrationStatus migrateToPartitioned(MigrationSpec spec) {
        return engine.startMigration(
                (migrator, connection) -> migrator.plan(connection, spec),
                (migrator, connection) -> migrator.run(connection, spec));
    }

    /** Every step {@link #migrateToPartitioned} would take, with the lock each statement takes. */
    public Plan planMigration(MigrationSpec spec) {
        return engine.migrationDryRun((migrator, connection) -> migrator.plan(connection, spec));
    }

    /** The progress of the table's current (or last) migration. */
    public Optional<MigrationStatus> migrationStatus(TableName table) {
        return engine.migrationDryRun((migrator, connection) -> migrator.status(connection, table));
    }

    /** Cuts over a verified migration that was started with {@code cutover(false)}. */
    public MigrationStatus cutover(TableName table) {
        return migrationStep(table, (migrator, connection) -> migrator.cutover(connection, table));
    }

    /** Swaps a cut-over migration back to the original table; nothing written since the cutover is lost. */
    public MigrationStatus undoMigration(TableName table) {
        return migrationStep(table, (migrator, connection) -> migrator.undo(connection, table));
    }

    /** Ends a cut-over migration: drops the original table and the migration's helpers. It cannot be undone. */
    public MigrationStatus finalizeMigration(TableName table) {
        return migrationStep(table, (migrator, connection) -> migrator.finish(connection, table));
    }

    /** What {@link #finalizeMigration} would do now, with the lock each statement takes. */
    public Plan planFinalizeMigration(TableName table) {
        return engine.migrationDryRun((migrator, connection) -> migrator.planFinish(connection, table));
    }

    /** Stops a migration before its cutover; the original table is left exactly as it was. */
    public MigrationStatus abortMigration(TableName table) {
        return migrationStep(table, (migrator, connection) -> migrator.abort(connection, table));
    }

    /** A step of a recorded migration; a table without one is refused before anything changes. */
    private MigrationStatus migrationStep(TableName table, BiFunction<Migrator, Connection, MigrationStatus> step) {
        return engine.startMigration(
                (migrator, connection) -> {
                    migrator.requireRecorded(connection, table);
                    return table;
                },
                step);
    }

    /** The steps maintenance would take now on every managed table, with their SQL and locks. */
    public Plan plan() {
        return engine.plan(null);
    }

    /** The steps maintenance would take now on one table. */
    public Plan plan(TableName table) {
        return engine.plan(table);
    }

    /** Runs maintenance on every managed table now; the report is also recorded in the engine's catalog. */
    public MaintenanceReport maintain() {
        return engine.maintain(null);
    }

    /** Runs maintenance on one table now. */
    public MaintenanceReport maintain(TableName table) {
        return engine.maintain(table);
    }

    /** The state of every managed table. */
    public List<TableStatus> status() {
        return engine.status();
    }

    /**
     * The health of maintenance: every managed table with the numbers a metric exports, every unfinished online
     * migration, and findings for a table with fewer partitions ahead than its minimum, rows in its default partition,
     * or a failed last run, and for a migration that made no progress for 15 minutes before its cutover.
     *
     * @param history what maintenance last did: {@link MaintenanceScheduler#history()}, or {@link RunHistory#none()}
     */
    public HealthReport health(RunHistory history) {
        return health(history, DEFAULT_MIGRATION_STUCK_AFTER);
    }

    /** {@link #health(RunHistory)}, with the time after which a migration without progress counts as stuck. */
    public HealthReport health(RunHistory history, Duration migrationStuckAfter) {
        if (migrationStuckAfter.isNegative() || migrationStuckAfter.isZero()) {
            throw new InvalidSpecException(
                    SpecField.MIGRATION_STUCK_AFTER,
                    "migrationStuckAfter must be positive, was " + migrationStuckAfter
                            + ". Fix: use a few times the longest pause a migration takes, such as 15 minutes.");
        }
        return engine.health(Objects.requireNonNull(history, "history"), migrationStuckAfter);
    }

    /**
     * The newest entries of the work history, newest first: what each maintenance run (the Java maintainer's or the
     * in-database procedure's) did to each table it changed, skipped or failed on.
     *
     * @param table one table, or null for all
     * @param limit at most this many entries
     */
    public List<MaintenanceRun> maintenanceHistory(@Nullable TableName table, int limit) {
        return engine.history(table, limit);
    }

    /**
     * Installs (or replaces) in-database maintenance: the procedure {@code <catalogSchema>.run_maintenance()}, which
     * does in the database what {@link #maintain()} does, with this instance's lock timeout, retries and batch size
     * as its defaults. It takes the same advisory locks as the Java maintainer, so both may run. Call it with {@code
     * CALL autopartition.run_maintenance()}, on its own (it commits as it goes), or schedule it with {@link
     * #scheduleWithPgCron(String)}.
     */
    public void installDatabaseMaintenance() {
        engine.installDatabaseMaintenance();
    }

    /** What {@link #installDatabaseMaintenance()} would do, without doing it. */
    public Plan planInstallDatabaseMaintenance() {
        return engine.planInstallDatabaseMaintenance();
    }

    /**
     * Installs in-database maintenance and registers it with pg_cron ({@code cron.schedule}) under the job name
     * {@code autopartition-maintenance} (followed by the catalog schema when it is not the default); a job of that
     * name is updated.
     *
     * @param cronExpression a pg_cron schedule, such as {@code *}{@code /10 * * * *} or {@code 30 seconds}
     * @return the pg_cron job id
     * @throws AutoPartitionException before anything changes, naming the fix, when pg_cron is not available in this
     *     database
     */
    public long scheduleWithPgCron(String cronExpression) {
        return engine.scheduleWithPgCron(Objects.requireNonNull(cronExpression, "cronExpression"));
    }

    /** What {@link #scheduleWithPgCron(String)} would do, without doing it. */
    public Plan planScheduleWithPgCron(String cronExpression) {
        return engine.planScheduleWithPgCron(Objects.requireNonNull(cronExpression, "cronExpression"));
    }

    /**
     * Removes in-database maintenance: its pg_cron job and its procedure. The work history stays.
     *
     * @return whether there was anything to remove
     */
    public boolean uninstallDatabaseMaintenance() {
        return engine.uninstallDatabaseMaintenance();
    }

    /** What {@link #uninstallDatabaseMaintenance()} would do, without doing it. */
    public Plan planUninstallDatabaseMaintenance() {
        return engine.planUninstallDatabaseMaintenance();
    }

    /** Whether in-database maintenance is installed, and its pg_cron job. */
    public DatabaseMaintenanceStatus databaseMaintenanceStatus() {
        return engine.databaseMaintenanceStatus();
    }

    /**
     * A scheduler that runs {@link #maintain()} every {@code interval}, plus a random delay of up to {@code jitter}
     * so that many application instances do not all start at the same moment.
     */
    public MaintenanceScheduler scheduler(Duration interval, Duration jitter) {
        return new MaintenanceScheduler(this, interval, jitter);
    }

    /** The schema of the engine's own catalog. */
    public String catalogSchema() {
        return settings.catalog().schema();
    }

    /** Settings of an instance; {@link #build()} validates them. */
    public static final class Builder {
        private final ConnectionSource source;
        private String catalogSchema = "autopartition";
        private Duration lockTimeout = Duration.ofMillis(500);
        private int attempts = 5;
        private Duration backoff = Duration.ofMillis(200);
        private Duration maxBackoff = Duration.ofSeconds(5);
        private int batchSize = 10_000;
        private Clock clock = Clock.systemUTC();

        private Builder(ConnectionSource source) {
            this.source = source;
        }

        /** The schema of the engine's own catalog; default {@code autopartition}. */
        public Builder catalogSchema(String catalogSchema) {
            this.catalogSchema = catalogSchema;
            return this;
        }

        /** How long one statement waits for a lock before it gives up and is retried; default 500 ms. */
        public Builder lockTimeout(Duration lockTimeout) {
            this.lockTimeout = lockTimeout;
            return this;
        }

        /** How many tries a step gets; default 5. */
        public Builder attempts(int attempts) {
            this.attempts = attempts;
            return this;
        }

        /** The first retry delay (it doubles per retry, with jitter) and its cap; default 200 ms and 5 s. */
        public Builder backoff(Duration first, Duration max) {
            this.backoff = first;
            this.maxBackoff = max;
            return this;
        }

        /** Rows per batch when rows move out of a default partition; default 10,000. */
        public Builder batchSize(int batchSize) {
            this.batchSize = batchSize;
            return this;
        }

        /** The clock that decides which time partitions are current; default the system clock. For tests. */
        public Builder clock(Clock clock) {
            this.clock = clock;
            return this;
        }

        /**
         * Validates the settings.
         *
         * @throws InvalidSpecException naming the setting, the bad value and the fix
         */
        public AutoPartition build() {
            if (lockTimeout.isNegative() || lockTimeout.isZero()) {
                throw new InvalidSpecException(
                        SpecField.LOCK_TIMEOUT,
                        "lockTimeout must be positive, was " + lockTimeout + ". Fix: use a few hundred milliseconds.");
            }
            if (attempts < 1) {
                throw new InvalidSpecException(
                        SpecField.ATTEMPTS, "attempts must be at least 1, was " + attempts + ".");
            }
            if (batchSize < 1) {
                throw new InvalidSpecException(
                        SpecField.BATCH_SIZE, "batchSize must be at least 1, was " + batchSize + ".");
            }
            if (backoff.isNegative() || maxBackoff.compareTo(backoff) < 0) {
                throw new InvalidSpecException(
                        SpecField.BACKOFF,
                        "backoff must be at least zero and at most its maximum, was " + backoff + " and " + maxBackoff
                                + ".");
            }
            Settings settings = new Settings(
                    new EngineCatalog(catalogSchema), lockTimeout, attempts, backoff, maxBackoff, batchSize, clock);
            return new AutoPartition(new Engine(source, settings), settings);
        }
    }
}
