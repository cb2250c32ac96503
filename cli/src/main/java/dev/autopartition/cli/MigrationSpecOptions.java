package dev.autopartition.cli;

import dev.autopartition.AutoPartitionSpec;
import dev.autopartition.MigrationSpec;
import dev.autopartition.MigrationStrategy;
import dev.autopartition.RetentionAction;
import dev.autopartition.TableName;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * The options of a migration (a picocli mixin of {@code migrate plan}, {@code start} and {@code resume}): the rule
 * the table is partitioned by, and how the rows are moved. Unset options keep the engine's defaults.
 */
final class MigrationSpecOptions {
    @Mixin
    @SuppressWarnings("NullAway.Init")
    private TableOptions.Migrating migrating;

    @Option(
            names = "--column",
            required = true,
            paramLabel = "<column>",
            order = 2,
            description = "The partition key column (timestamptz, timestamp, date or an integer type).")
    @SuppressWarnings("NullAway.Init")
    private String column;

    @Option(
            names = "--increment",
            required = true,
            paramLabel = "<increment>",
            order = 3,
            description = "The width of a partition: '1 day', '1 month', '3 months', or a number for integer keys.")
    @SuppressWarnings("NullAway.Init")
    private String increment;

    @Option(
            names = "--time-zone",
            paramLabel = "<zone>",
            order = 4,
            description = "The zone time bounds are aligned in (Europe/Berlin). Default: UTC.")
    private @Nullable String timeZone;

    @Option(
            names = "--min-advance",
            paramLabel = "<n>",
            order = 5,
            description = "Create partitions once fewer than <n> lie ahead. Default: 2.")
    private @Nullable Integer minAdvance;

    @Option(
            names = "--max-advance",
            paramLabel = "<n>",
            order = 6,
            description = "Then create up to <n> ahead. Default: 5.")
    private @Nullable Integer maxAdvance;

    @Option(
            names = "--retention",
            paramLabel = "<period>",
            order = 7,
            description = "Remove partitions this long after their upper bound ('90 days'). Default: keep all.")
    private @Nullable String retention;

    @Option(
            names = "--retention-action",
            paramLabel = "<action>",
            order = 8,
            description = "What retention does: ${COMPLETION-CANDIDATES}. Default: drop.")
    private @Nullable RetentionAction retentionAction;

    @Option(
            names = "--retention-schema",
            paramLabel = "<schema>",
            order = 9,
            description = "Where --retention-action move moves partitions.")
    private @Nullable String retentionSchema;

    @Option(
            names = "--initial-lower-bound",
            paramLabel = "<value>",
            order = 10,
            description = "Where the partition grid is aligned from (2022-01-01). Default: the natural alignment.")
    private @Nullable String initialLowerBound;

    @Option(
            names = "--naming-pattern",
            paramLabel = "<pattern>",
            order = 11,
            description = "Partition names, such as {table}_p{yyyyMMdd}. Default: the engine's pattern.")
    private @Nullable String namingPattern;

    @Option(
            names = "--default-partition",
            order = 12,
            description = "Give the table a default partition for rows outside every range.")
    private boolean defaultPartition;

    @Option(
            names = "--tier-after",
            paramLabel = "<period>",
            order = 13,
            description = "Move partitions this long after their upper bound ('30 days') to --tier-tablespace,"
                    + " before retention removes them. Default: never.")
    private @Nullable String tierAfter;

    @Option(
            names = "--tier-tablespace",
            paramLabel = "<tablespace>",
            order = 14,
            description = "The existing tablespace --tier-after moves old partitions and their indexes to.")
    private @Nullable String tierTablespace;

    @Option(
            names = "--autocreate-expression",
            paramLabel = "<sql>",
            order = 15,
            description = "An SQL expression, evaluated read-only at each maintenance run, whose value advance"
                    + " partitions are counted from (\"now() + interval '7 days'\"). Default: the clock, or the"
                    + " largest key.")
    private @Nullable String autocreateExpression;

    @Option(
            names = "--strategy",
            paramLabel = "<strategy>",
            order = 20,
            defaultValue = "copy",
            description = "copy: rows are copied into proper partitions; attach: the table becomes one legacy"
                    + " partition and nothing is copied. Default: ${DEFAULT-VALUE}.")
    @SuppressWarnings("NullAway.Init")
    private MigrationStrategy strategy;

    @Option(
            names = "--batch-size",
            paramLabel = "<rows>",
            order = 21,
            description = "Rows per copy batch (each commits with its cursor). Default: 10000.")
    private @Nullable Integer batchSize;

    @Option(
            names = "--pause",
            paramLabel = "<duration>",
            order = 22,
            description = "A pause between copy batches, to leave room for the application (50ms; a bare number is"
                    + " milliseconds). Default: none.")
    private @Nullable Duration pause;

    @Option(
            names = "--no-cutover",
            order = 23,
            description = "Stop when the copy is verified, before the cutover; run 'migrate cutover' later.")
    private boolean noCutover;

    @Option(
            names = "--cutover-lock-timeout",
            paramLabel = "<duration>",
            order = 24,
            description = "How long one cutover attempt waits for its lock on the table. Default: 300ms.")
    private @Nullable Duration cutoverLockTimeout;

    @Option(
            names = "--cutover-attempts",
            paramLabel = "<n>",
            order = 25,
            description = "Cutover attempts (with backoff) before giving up. Default: 20.")
    private @Nullable Integer cutoverAttempts;

    @Option(
            names = "--fk-key-column",
            paramLabel = "<constraint>=<column>",
            order = 26,
            description = "For an inbound foreign key whose referenced columns will no longer be unique: the"
                    + " referencing table's column that carries the partition key. Repeatable.")
    private Map<String, String> keyColumns = new LinkedHashMap<>();

    @Option(
            names = "--skip-empty-periods",
            order = 27,
            description = "Make partitions only for the periods that hold rows, the current one, the one before it and"
                    + " the advance window, not for every period from the oldest row to now. Backdated writes into a"
                    + " skipped period go to the default partition (--default-partition) or fail.")
    private boolean skipEmptyPeriods;

    @Option(
            names = "--no-pacing",
            order = 31,
            description = "Copy, verify and replay at the pace of --batch-size and --pause alone, without watching"
                    + " the application's latency or the standbys' lag.")
    private boolean noPacing;

    @Option(
            names = "--latency-budget",
            paramLabel = "<multiple>",
            converter = Converters.MultipleConverter.class,
            order = 28,
            description = "How much slower the application may get while the migration works: a multiple of a"
                    + " probe's latency measured before the work. Default: 1.5.")
    private @Nullable Double latencyBudget;

    @Option(
            names = "--latency-floor",
            paramLabel = "<duration>",
            order = 29,
            description = "The least latency budget, against noise on a fast probe. Default: 2ms.")
    private @Nullable Duration latencyFloor;

    @Option(
            names = "--standby-lag-budget",
            paramLabel = "<duration>",
            order = 30,
            description = "How far behind any standby in pg_stat_replication may fall. Default: 1s.")
    private @Nullable Duration standbyLagBudget;

    TableName table() {
        return migrating.table;
    }

    MigrationStrategy strategy() {
        return strategy;
    }

    /**
     * The spec.
     *
     * @throws dev.autopartition.InvalidSpecException naming the option, the bad value and the fix
     */
    MigrationSpec spec() {
        AutoPartitionSpec.Builder rule = AutoPartitionSpec.builder(migrating.table, column)
                .increment(increment)
                .retention(retention)
                .retentionSchema(retentionSchema)
                .initialLowerBound(initialLowerBound)
                .namingPattern(namingPattern)
                .defaultPartition(defaultPartition)
                .tierAfter(tierAfter)
                .tierTablespace(tierTablespace)
                .autocreateExpression(autocreateExpression);
        Optional.ofNullable(timeZone).ifPresent(rule::timeZone);
        Optional.ofNullable(minAdvance).ifPresent(rule::minimumAdvancePartitions);
        Optional.ofNullable(maxAdvance).ifPresent(rule::maximumAdvancePartitions);
        Optional.ofNullable(retentionAction).ifPresent(rule::retentionAction);
        MigrationSpec.Builder migration = MigrationSpec.builder(rule.build())
                .strategy(strategy)
                .cutover(!noCutover)
                .skipEmptyPeriods(skipEmptyPeriods);
        Optional.ofNullable(batchSize).ifPresent(migration::batchSize);
        Optional.ofNullable(pause).ifPresent(migration::pause);
        Optional.ofNullable(cutoverLockTimeout).ifPresent(migration::cutoverLockTimeout);
        Optional.ofNullable(cutoverAttempts).ifPresent(migration::cutoverAttempts);
        keyColumns.forEach(migration::foreignKeyKeyColumn);
        migration.pacing(!noPacing);
        Optional.ofNullable(latencyBudget).ifPresent(migration::latencyBudget);
        Optional.ofNullable(latencyFloor).ifPresent(migration::latencyFloor);
        Optional.ofNullable(standbyLagBudget).ifPresent(migration::standbyLagBudget);
        return migration.build();
    }
}
