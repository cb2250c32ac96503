package dev.autopartition;

/**
 * An option of an operation that bad input can be about. {@link InvalidSpecException#field()} names one, so a front end
 * points at its own attribute or option ({@code increment="..."} in a changelog, {@code --increment} on the command
 * line) without reading the message.
 */
public enum SpecField {
    // the table and the rule
    TABLE("table"),
    COLUMN("column"),
    INCREMENT("increment"),
    INITIAL_LOWER_BOUND("initialLowerBound"),
    TIME_ZONE("timeZone"),
    MINIMUM_ADVANCE_PARTITIONS("minimumAdvancePartitions"),
    MAXIMUM_ADVANCE_PARTITIONS("maximumAdvancePartitions"),
    RETENTION("retention"),
    RETENTION_ACTION("retentionAction"),
    RETENTION_SCHEMA("retentionSchema"),
    DEFAULT_PARTITION("defaultPartition"),
    NAMING_PATTERN("namingPattern"),
    TIER_AFTER("tierAfter"),
    TIER_TABLESPACE("tierTablespace"),
    AUTOCREATE_EXPRESSION("autocreateExpression"),
    // one partition
    PARTITION("partition"),
    PARTITION_NAME("partitionName"),
    FROM("from"),
    TO("to"),
    /** Both range bounds together: an empty or overlapping range. */
    RANGE("from/to"),
    VALUES("values"),
    /** The modulus and remainder of a hash partition. */
    HASH("modulus/remainder"),
    // an online migration
    STRATEGY("strategy"),
    BATCH_SIZE("batchSize"),
    PARALLELISM("parallelism"),
    PAUSE("pause"),
    CUTOVER_LOCK_TIMEOUT("cutoverLockTimeout"),
    CUTOVER_ATTEMPTS("cutoverAttempts"),
    FOREIGN_KEY_KEY_COLUMN("foreignKeyKeyColumn"),
    PACING("pacing"),
    LATENCY_BUDGET("latencyBudget"),
    LATENCY_FLOOR("latencyFloor"),
    STANDBY_LAG_BUDGET("standbyLagBudget"),
    // the engine and its schedules
    CATALOG_SCHEMA("catalogSchema"),
    LOCK_TIMEOUT("lockTimeout"),
    ATTEMPTS("attempts"),
    BACKOFF("backoff"),
    INTERVAL("interval"),
    JITTER("jitter"),
    MIGRATION_STUCK_AFTER("migrationStuckAfter"),
    CRON_SCHEDULE("cronSchedule");

    private final String option;

    SpecField(String option) {
        this.option = option;
    }

    /**
     * The option's name in the Java builders, such as {@code minimumAdvancePartitions}; the Liquibase attributes and
     * the CLI options use the same words (the Liquibase table and column are {@code tableName} and {@code
     * columnName}).
     */
    public String option() {
        return option;
    }
}
