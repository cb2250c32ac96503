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
 * @param batchSize rows per copy batch (each batch commits with its cursor); with pacing the largest batch
 * @param parallelism how many partitions are loaded at once, each on its own connection; with pacing the most
 * @param pause a pause between batches, to leave room for the application; with pacing the least pause
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
 * @param pacing whether the copy, verification and replay are paced by the budgets below (default); false runs them
 *     at the knobs' pace alone, as before pacing existed
 * @param latencyBudget how much slower the application may get, as a multiple of the latency of a probe (a lookup of
 *     one row of the table by its first index) measured before the work starts; default 1.5
 * @param latencyFloor the least latency budget, whatever the multiple gives, so that a probe of a few hundred
 *     microseconds does not read noise as overload; default 2 ms
 * @param standbyLagBudget how far behind any standby in {@code pg_stat_replication} may fall; default 1 s
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
        boolean skipEmptyPeriods,
        boolean pacing,
        double latencyBudget,
        Duration latencyFloor,
        Duration standbyLagBudget) {

    /** The default {@link #latencyBudget()}: the application may get half as slow again, no more. */
    public static final double DEFAULT_LATENCY_BUDGET = 1.5;

    /** The default {@link #latencyFloor()}. */
    public static final Duration DEFAULT_LATENCY_FLOOR = Duration.ofMillis(2);

    /** The default {@link #standbyLagBudget()}. */
    public static final Duration DEFAULT_STANDBY_LAG_BUDGET = Duration.ofSeconds(1);

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
        checkBudgets(table, latencyBudget, latencyFloor, standbyLagBudget);
    }

    private static void checkBudgets(
            TableName table, double latencyBudget, Duration latencyFloor, Duration standbyLagBudget) {
        // NaN fails both comparisons, so it is refused too
        if (!(latencyBudget >= 1.05 && latencyBudget <= 100)) {
            throw new InvalidSpecException(
                    SpecField.LATENCY_BUDGET,
                    "latencyBudget of the migration of " + table + " is " + latencyBudget
                            + "; it must be a multiple of the probe's idle latency from 1.05 to 100. Fix: use 1.5"
                            + " (the default), or turn pacing off.");
        }
        if (latencyFloor.isNegative() || latencyFloor.compareTo(Duration.ofMinutes(1)) > 0) {
            throw new InvalidSpecException(
                    SpecField.LATENCY_FLOOR,
                    "latencyFloor of the migration of " + table + " is " + latencyFloor
                            + "; it must be from 0 to 1 minute. Fix: use a few milliseconds (default 2ms).");
        }
        if (standbyLagBudget.compareTo(Duration.ofMillis(100)) < 0
                || standbyLagBudget.compareTo(Duration.ofHours(1)) > 0) {
            throw new InvalidSpecException(
                    SpecField.STANDBY_LAG_BUDGET,
                    "standbyLagBudget of the migration of " + table + " is " + standbyLagBudget
                            + "; it must be from 100 ms to 1 hour (a standby reports its replay about every"
                            + " 100 ms at best). Fix: use 1s (the default) or more.");
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
        private boolean pacing = true;
        private double latencyBudget = DEFAULT_LATENCY_BUDGET;
        private Duration latencyFloor = DEFAULT_LATENCY_FLOOR;
        private Duration standbyLagBudget = DEFAULT_STANDBY_LAG_BUDGET;

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

        /**
         * Paces the copy, verification and replay by the latency and standby-lag budgets (default), with the batch
         * size, parallelism and pause as limits; false runs at the knobs' pace alone.
         */
        public Builder pacing(boolean pacing) {
            this.pacing = pacing;
            return this;
        }

        /**
         * How much slower the application may get while the migration works: a multiple of a probe's latency measured
         * before the work starts; default 1.5.
         */
        public Builder latencyBudget(double latencyBudget) {
            this.latencyBudget = latencyBudget;
            return this;
        }

        /** The least latency budget, against noise on a fast probe; default 2 ms. */
        public Builder latencyFloor(Duration latencyFloor) {
            this.latencyFloor = latencyFloor;
            return this;
        }

        /** How far behind any standby may fall; default 1 s. */
        public Builder standbyLagBudget(Duration standbyLagBudget) {
            this.standbyLagBudget = standbyLagBudget;
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
                    skipEmptyPeriods,
                    pacing,
                    latencyBudget,
                    latencyFloor,
                    standbyLagBudget);
        }
    }
}
