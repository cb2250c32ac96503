package dev.autopartition;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * An online migration of a plain table with live traffic into a partitioned table of the same name. Build it with
 * {@link #builder(AutoPartitionSpec)}: the partitioning rule (column, increment, advance window, retention, ...) is
 * the one the table is registered with after the cutover, so maintenance takes over.
 *
 * @param partitioning the rule the migrated table gets
 * @param strategy copy the rows into proper partitions, or attach the table as one legacy partition
 * @param batchSize rows per copy batch (each batch commits with its cursor)
 * @param parallelism how many partitions are loaded at once, each on its own connection
 * @param pause a pause between batches, to leave room for the application
 * @param cutoverLockTimeout how long one cutover attempt waits for its lock on the table
 * @param cutoverAttempts how many cutover attempts before giving up (each retried with backoff)
 * @param cutover whether to cut over as soon as the table is verified; false stops at {@link
 *     MigrationPhase#VERIFIED} until {@code cutover} is asked for
 * @param keyColumns for inbound foreign keys on columns that will no longer be unique: constraint name to the
 *     referencing table's column that carries the partition key (the workload's {@code chat_messages.chat_created_at}
 *     for {@code chats.created_at}); the constraint is widened with it at cutover
 * @param skipEmptyPeriods whether the plan leaves out the periods between the oldest key and now that hold no row
 *     (partitions are made only where there is data, for the current period, the one before it, and the advance
 *     window); rows written later into a skipped period go to the default partition when the rule has one, and fail
 *     otherwise
 */
public record MigrationSpec(
        AutoPartitionSpec partitioning,
        MigrationStrategy strategy,
        int batchSize,
        int parallelism,
        Duration pause,
        Duration cutoverLockTimeout,
        int cutoverAttempts,
        boolean cutover,
        Map<String, String> keyColumns,
        boolean skipEmptyPeriods) {

    public MigrationSpec {
        Objects.requireNonNull(partitioning, "partitioning");
        Objects.requireNonNull(strategy, "strategy");
        keyColumns = Map.copyOf(keyColumns);
        TableName table = partitioning.table();
        if (batchSize < 1) {
            throw new InvalidSpecException(
                    SpecField.BATCH_SIZE,
                    "batchSize of the migration of " + table + " is " + batchSize
                            + "; it must be at least 1. Fix: use a few thousand rows.");
        }
        if (parallelism < 1 || parallelism > 64) {
            throw new InvalidSpecException(
                    SpecField.PARALLELISM,
                    "parallelism of the migration of " + table + " is " + parallelism
                            + "; it must be from 1 to 64. Fix: use about the number of cores the server can spare.");
        }
        if (pause.isNegative() || cutoverLockTimeout.isNegative() || cutoverLockTimeout.isZero()) {
            throw new InvalidSpecException("The pause and cutover lock timeout of the migration of " + table
                    + " must not be negative (and the timeout not zero), were " + pause + " and "
                    + cutoverLockTimeout + ".");
        }
        if (cutoverAttempts < 1) {
            throw new InvalidSpecException(
                    SpecField.CUTOVER_ATTEMPTS,
                    "cutoverAttempts of the migration of " + table + " is " + cutoverAttempts
                            + "; it must be at least 1.");
        }
    }

    public TableName table() {
        return partitioning.table();
    }

    public static Builder builder(AutoPartitionSpec partitioning) {
        return new Builder(partitioning);
    }

    /** Options of a migration; {@link #build()} validates them. */
    public static final class Builder {
        private final AutoPartitionSpec partitioning;
        private MigrationStrategy strategy = MigrationStrategy.COPY;
        private int batchSize = 10_000;
        private int parallelism = 2;
        private Duration pause = Duration.ZERO;
        private Duration cutoverLockTimeout = Duration.ofMillis(300);
        private int cutoverAttempts = 20;
        private boolean skipEmptyPeriods;
        private boolean cutover = true;
        private final Map<String, String> keyColumns = new LinkedHashMap<>();

        private Builder(AutoPartitionSpec partitioning) {
            this.partitioning = Objects.requireNonNull(partitioning, "partitioning");
        }

        /** {@link MigrationStrategy#COPY} (default) or {@link MigrationStrategy#ATTACH}. */
        public Builder strategy(MigrationStrategy strategy) {
            this.strategy = strategy;
            return this;
        }

        /** Rows per copy batch; default 10,000. */
        public Builder batchSize(int batchSize) {
            this.batchSize = batchSize;
            return this;
        }

        /** How many partitions are loaded at once, each on its own connection; default 2. */
        public Builder parallelism(int parallelism) {
            this.parallelism = parallelism;
            return this;
        }

        /** A pause between copy batches; default none. */
        public Builder pause(Duration pause) {
            this.pause = pause;
            return this;
        }

        /** How long one cutover attempt waits for its lock; default 300 ms. */
        public Builder cutoverLockTimeout(Duration cutoverLockTimeout) {
            this.cutoverLockTimeout = cutoverLockTimeout;
            return this;
        }

        /** How many cutover attempts, with backoff between them; default 20. */
        public Builder cutoverAttempts(int cutoverAttempts) {
            this.cutoverAttempts = cutoverAttempts;
            return this;
        }

        /** Cut over as soon as verified (default), or stop before the cutover until asked for. */
        public Builder cutover(boolean cutover) {
            this.cutover = cutover;
            return this;
        }

        /**
         * Widens the inbound foreign key {@code constraint} with the referencing table's {@code column}, which holds
         * the partition key of the row it references.
         */
        public Builder foreignKeyKeyColumn(String constraint, String column) {
            keyColumns.put(constraint, column);
            return this;
        }

        /**
         * Partitions only where there is data, around now and ahead, instead of one for every period from the oldest
         * key to now (the default). Worth it for a table whose data stops long ago: each skipped period is a partition
         * less to create, verify and maintain. Give the rule a default partition to catch backdated writes into the
         * skipped periods.
         */
        public Builder skipEmptyPeriods(boolean skipEmptyPeriods) {
            this.skipEmptyPeriods = skipEmptyPeriods;
            return this;
        }

        public MigrationSpec build() {
            return new MigrationSpec(
                    partitioning,
                    strategy,
                    batchSize,
                    parallelism,
                    pause,
                    cutoverLockTimeout,
                    cutoverAttempts,
                    cutover,
                    keyColumns,
                    skipEmptyPeriods);
        }
    }
}
