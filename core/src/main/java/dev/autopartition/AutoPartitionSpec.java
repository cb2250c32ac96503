package dev.autopartition;

import dev.autopartition.internal.spec.Interval;
import dev.autopartition.internal.spec.PartitionNamer;
import java.time.DateTimeException;
import java.time.ZoneId;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * The auto-partition rule of one table: range partitions on one column, kept current by maintenance. Build it with
 * {@link #builder(TableName, String)}; everything that can be checked without the database is checked by {@link
 * Builder#build()}, the rest (the table, the column and its type) before anything changes in the database.
 *
 * @param table the partitioned table
 * @param column the partition key column
 * @param increment the width of each partition
 * @param initialLowerBound where the first partition starts, or null to start at the current one
 * @param timeZone the zone in which time bounds are aligned (a day starts at midnight there)
 * @param minimumAdvancePartitions create more partitions once fewer than this many lie ahead
 * @param maximumAdvancePartitions then create up to this many ahead
 * @param retention how long a partition is kept after its upper bound (an interval, or a number for integer keys), or
 *     null to keep partitions forever
 * @param retentionAction what happens to a partition past retention
 * @param retentionSchema where {@link RetentionAction#MOVE} moves partitions
 * @param defaultPartition whether the table has a default partition for rows outside every range
 * @param namingPattern how partitions are named, or null for {@code {table}_p<date or lower bound>}
 * @param enabled whether maintenance acts on the table
 * @param tierAfter how long after its upper bound a partition moves to {@code tierTablespace} (an interval, or a
 *     number for integer keys), or null to never move partitions
 * @param tierTablespace the tablespace old partitions move to, or null
 * @param autocreateExpression an SQL expression, evaluated at each maintenance run, whose value is the position
 *     advance partitions are counted from (instead of the clock or the largest key), or null
 */
public record AutoPartitionSpec(
        TableName table,
        String column,
        Increment increment,
        @Nullable String initialLowerBound,
        ZoneId timeZone,
        int minimumAdvancePartitions,
        int maximumAdvancePartitions,
        @Nullable String retention,
        RetentionAction retentionAction,
        @Nullable String retentionSchema,
        boolean defaultPartition,
        @Nullable String namingPattern,
        boolean enabled,
        @Nullable String tierAfter,
        @Nullable String tierTablespace,
        @Nullable String autocreateExpression) {

    public static final int DEFAULT_MINIMUM_ADVANCE = 2;
    public static final int DEFAULT_MAXIMUM_ADVANCE = 5;
    /** A sanity limit: more than this many partitions ahead is almost always a mistake in the increment. */
    public static final int MAX_ADVANCE_LIMIT = 1000;

    public AutoPartitionSpec {
        Objects.requireNonNull(table, "table");
        Objects.requireNonNull(column, "column");
        Objects.requireNonNull(increment, "increment");
        Objects.requireNonNull(timeZone, "timeZone");
        Objects.requireNonNull(retentionAction, "retentionAction");
        validate(table, column, increment, minimumAdvancePartitions, maximumAdvancePartitions, retention);
        if (retentionAction == RetentionAction.MOVE && (retentionSchema == null || retentionSchema.isBlank())) {
            throw new InvalidSpecException(
                    SpecField.RETENTION_SCHEMA,
                    "Retention of " + table + " moves partitions, but no retention schema is"
                            + " given. Fix: name the schema to move them to, or use retention action drop or detach.");
        }
        if (namingPattern != null) {
            PartitionNamer.checkPattern(namingPattern, table, increment);
        }
        validateTiering(table, increment, retention, tierAfter, tierTablespace);
        if (autocreateExpression != null) {
            validateExpression(table, autocreateExpression);
        }
    }

    /** The spec of an older release, without tiering and without an autocreate expression. */
    public AutoPartitionSpec(
            TableName table,
            String column,
            Increment increment,
            @Nullable String initialLowerBound,
            ZoneId timeZone,
            int minimumAdvancePartitions,
            int maximumAdvancePartitions,
            @Nullable String retention,
            RetentionAction retentionAction,
            @Nullable String retentionSchema,
            boolean defaultPartition,
            @Nullable String namingPattern,
            boolean enabled) {
        this(
                table,
                column,
                increment,
                initialLowerBound,
                timeZone,
                minimumAdvancePartitions,
                maximumAdvancePartitions,
                retention,
                retentionAction,
                retentionSchema,
                defaultPartition,
                namingPattern,
                enabled,
                null,
                null,
                null);
    }

    private static void validateTiering(
            TableName table,
            Increment increment,
            @Nullable String retention,
            @Nullable String tierAfter,
            @Nullable String tierTablespace) {
        boolean hasTablespace = tierTablespace != null && !tierTablespace.isBlank();
        if ((tierAfter == null || tierAfter.isBlank()) && !hasTablespace) {
            return;
        }
        if (tierAfter == null || tierAfter.isBlank()) {
            throw new InvalidSpecException(
                    SpecField.TIER_AFTER,
                    "Tiering of " + table + " names tablespace " + tierTablespace
                            + " but no tierAfter period. Fix: say how old a partition must be to move there, such as"
                            + " tierAfter '30 days', or remove tierTablespace.");
        }
        if (!hasTablespace) {
            throw new InvalidSpecException(
                    SpecField.TIER_TABLESPACE,
                    "Tiering of " + table + " is set to move partitions after '" + tierAfter
                            + "', but no tierTablespace is given. Fix: name the tablespace to move them to, or remove"
                            + " tierAfter.");
        }
        long tierSize = periodSize(table, increment, tierAfter, SpecField.TIER_AFTER);
        if (tierSize <= 0) {
            throw new InvalidSpecException(
                    SpecField.TIER_AFTER,
                    "tierAfter '" + tierAfter + "' of " + table + " is zero. Fix: use a"
                            + " positive period such as '30 days' (or a number of key values for an integer key).");
        }
        if (retention != null && periodSize(table, increment, retention, SpecField.RETENTION) <= tierSize) {
            throw new InvalidSpecException(
                    SpecField.RETENTION,
                    "Retention '" + retention + "' of " + table + " does not exceed tierAfter '"
                            + tierAfter + "', so partitions would be removed before (or when) they move to tablespace "
                            + tierTablespace
                            + ". Fix: make the retention longer than tierAfter, or tierAfter shorter.");
        }
    }

    /** A period in comparable units: approximate hours for time keys, key values for integer keys. */
    private static long periodSize(TableName table, Increment increment, String period, SpecField field) {
        if (increment.isInterval()) {
            try {
                return Interval.parse(period).approximateHours();
            } catch (IllegalArgumentException e) {
                throw new InvalidSpecException(
                        field,
                        field.option() + " '" + period + "' of " + table + " does not parse (" + e.getMessage()
                                + "). Fix: write an interval such as '30 days' or '12 months'.");
            }
        }
        try {
            long value = Long.parseLong(period.trim());
            if (value < 0) {
                throw new NumberFormatException("negative");
            }
            return value;
        } catch (NumberFormatException e) {
            throw new InvalidSpecException(
                    field,
                    field.option() + " '" + period + "' of " + table + " is not a whole number, but"
                            + " the increment is a number. Fix: give it in key values, such as 1000000.");
        }
    }

    private static void validateExpression(TableName table, String expression) {
        if (expression.isBlank()) {
            throw new InvalidSpecException(
                    SpecField.AUTOCREATE_EXPRESSION,
                    "The autocreate expression of " + table + " is empty. Fix: write an SQL"
                            + " expression such as now() + interval '1 day', or leave it out.");
        }
        // The expression runs inside SELECT (...): one expression, never a second statement.
        if (expression.indexOf(';') >= 0) {
            throw new InvalidSpecException(
                    SpecField.AUTOCREATE_EXPRESSION,
                    "The autocreate expression of " + table + " contains ';': " + expression
                            + ". Fix: write one SQL expression without semicolons, such as (SELECT max(id) FROM t).");
        }
        if (expression.indexOf('\0') >= 0) {
            throw new InvalidSpecException(
                    SpecField.AUTOCREATE_EXPRESSION,
                    "The autocreate expression of " + table + " contains a NUL character. Fix: remove it.");
        }
    }

    private static void validate(
            TableName table, String column, Increment increment, int min, int max, @Nullable String retention) {
        if (column.isBlank()) {
            throw new InvalidSpecException(
                    SpecField.COLUMN, "No partition key column given for " + table + ". Fix: name the column.");
        }
        if (min < 1) {
            throw new InvalidSpecException(
                    SpecField.MINIMUM_ADVANCE_PARTITIONS,
                    "minimumAdvancePartitions of " + table + " is " + min
                            + "; it must be at least 1. Fix: use 1 or more (default " + DEFAULT_MINIMUM_ADVANCE + ").");
        }
        if (min > max) {
            throw new InvalidSpecException(
                    SpecField.MINIMUM_ADVANCE_PARTITIONS,
                    "minimumAdvancePartitions (" + min + ") of " + table + " is above maximumAdvancePartitions (" + max
                            + "). Fix: make the minimum at most the maximum.");
        }
        if (max > MAX_ADVANCE_LIMIT) {
            throw new InvalidSpecException(
                    SpecField.MAXIMUM_ADVANCE_PARTITIONS,
                    "maximumAdvancePartitions of " + table + " is " + max + "; at most " + MAX_ADVANCE_LIMIT
                            + " are allowed. Fix: use a larger increment or fewer advance partitions.");
        }
        if (retention != null) {
            validateRetention(table, increment, retention);
        }
    }

    private static void validateRetention(TableName table, Increment increment, String retention) {
        if (increment.isInterval()) {
            Interval interval;
            try {
                interval = Interval.parse(retention);
            } catch (IllegalArgumentException e) {
                throw new InvalidSpecException(
                        SpecField.RETENTION,
                        "Retention '" + retention + "' of " + table + " does not parse (" + e.getMessage()
                                + "). Fix: write an interval such as '30 days' or '12 months'.");
            }
            if (interval.approximateHours() < increment.approximateHours()) {
                throw new InvalidSpecException(
                        SpecField.RETENTION,
                        "Retention '" + retention + "' of " + table
                                + " is shorter than one increment (" + increment
                                + "), so every partition would be removed"
                                + " as soon as it is complete. Fix: use a retention of at least " + increment + ".");
            }
        } else {
            long value;
            try {
                value = Long.parseLong(retention.trim());
            } catch (NumberFormatException e) {
                throw new InvalidSpecException(
                        SpecField.RETENTION,
                        "Retention '" + retention + "' of " + table + " is not a whole number,"
                                + " but the increment is a number. Fix: give the retention in key values, such as 1000000.");
            }
            if (value < increment.count()) {
                throw new InvalidSpecException(
                        SpecField.RETENTION,
                        "Retention " + value + " of " + table + " is shorter than one" + " increment (" + increment
                                + "). Fix: use a retention of at least " + increment + ".");
            }
        }
    }

    /** A builder for the rule of {@code table}, partitioned on {@code column}. */
    public static Builder builder(TableName table, String column) {
        return new Builder(table, column);
    }

    /** The retention period parsed as an interval (time keys only). */
    public @Nullable Interval retentionInterval() {
        return retention == null || !increment.isInterval() ? null : Interval.parse(retention);
    }

    /** The tiering period parsed as an interval (time keys only). */
    public @Nullable Interval tierAfterInterval() {
        return tierAfter == null || !increment.isInterval() ? null : Interval.parse(tierAfter);
    }

    /** Whether old partitions move to another tablespace. */
    public boolean tiering() {
        return tierAfter != null && tierTablespace != null;
    }

    /** Collects the options of a spec; {@link #build()} validates them all at once. */
    public static final class Builder {
        private final TableName table;
        private final String column;
        private @Nullable String increment;
        private @Nullable String initialLowerBound;
        private String timeZone = "UTC";
        private int minimumAdvancePartitions = DEFAULT_MINIMUM_ADVANCE;
        private int maximumAdvancePartitions = DEFAULT_MAXIMUM_ADVANCE;
        private @Nullable String retention;
        private RetentionAction retentionAction = RetentionAction.DROP;
        private @Nullable String retentionSchema;
        private boolean defaultPartition;
        private @Nullable String namingPattern;
        private boolean enabled = true;
        private @Nullable String tierAfter;
        private @Nullable String tierTablespace;
        private @Nullable String autocreateExpression;

        private Builder(TableName table, String column) {
            this.table = Objects.requireNonNull(table, "table");
            this.column = Objects.requireNonNull(column, "column");
        }

        /** The partition width, such as {@code 1 day}, {@code 3 months} or {@code 100000}. Required. */
        public Builder increment(String increment) {
            this.increment = increment;
            return this;
        }

        /** Where the first partition starts (a key value such as {@code 2022-01-01}); default: the current one. */
        public Builder initialLowerBound(@Nullable String initialLowerBound) {
            this.initialLowerBound = initialLowerBound;
            return this;
        }

        /** The time zone bounds are aligned in, such as {@code Europe/Berlin}; default UTC. */
        public Builder timeZone(String timeZone) {
            this.timeZone = timeZone;
            return this;
        }

        /** Create partitions once fewer than this many lie ahead; default 2. */
        public Builder minimumAdvancePartitions(int minimumAdvancePartitions) {
            this.minimumAdvancePartitions = minimumAdvancePartitions;
            return this;
        }

        /** Then create up to this many ahead; default 5. */
        public Builder maximumAdvancePartitions(int maximumAdvancePartitions) {
            this.maximumAdvancePartitions = maximumAdvancePartitions;
            return this;
        }

        /** Keep partitions this long after their upper bound ({@code 30 days}), or null to keep them forever. */
        public Builder retention(@Nullable String retention) {
            this.retention = retention;
            return this;
        }

        /** What retention does; default {@link RetentionAction#DROP}. */
        public Builder retentionAction(RetentionAction retentionAction) {
            this.retentionAction = retentionAction;
            return this;
        }

        /** The schema {@link RetentionAction#MOVE} moves partitions to. */
        public Builder retentionSchema(@Nullable String retentionSchema) {
            this.retentionSchema = retentionSchema;
            return this;
        }

        /** Whether to keep a default partition for rows outside every range; default false. */
        public Builder defaultPartition(boolean defaultPartition) {
            this.defaultPartition = defaultPartition;
            return this;
        }

        /**
         * The partition naming pattern: {@code {table}} for the table name, {@code {lower}} for an integer lower
         * bound, and a date pattern in braces such as {@code {yyyyMMdd}} for a time lower bound, in the table's zone.
         */
        public Builder namingPattern(@Nullable String namingPattern) {
            this.namingPattern = namingPattern;
            return this;
        }

        /** Whether maintenance acts on the table; default true. */
        public Builder enabled(boolean enabled) {
            this.enabled = enabled;
            return this;
        }

        /**
         * Move partitions whose upper bound is older than this ({@code 30 days}; a number for integer keys) to {@link
         * #tierTablespace(String)}, before retention removes them; null (the default) never moves them.
         */
        public Builder tierAfter(@Nullable String tierAfter) {
            this.tierAfter = tierAfter;
            return this;
        }

        /** The tablespace {@link #tierAfter(String)} moves old partitions (and their indexes) to; it must exist. */
        public Builder tierTablespace(@Nullable String tierTablespace) {
            this.tierTablespace = tierTablespace;
            return this;
        }

        /**
         * An SQL expression evaluated at each maintenance run, read-only and under a short statement_timeout, whose
         * value is the position advance partitions are counted from: for example {@code now() + interval '7 days'}
         * or {@code (SELECT max(id) FROM t)}. It must return the key's type (or a timestamp type for a time or uuid
         * key, an integer type for an integer key); NULL falls back to the default position. Default: none (the
         * clock for time and uuid keys, the largest key for integer keys).
         */
        public Builder autocreateExpression(@Nullable String autocreateExpression) {
            this.autocreateExpression = autocreateExpression;
            return this;
        }

        /**
         * Validates every option and returns the immutable spec.
         *
         * @throws InvalidSpecException naming the table, the option, the bad value and the fix
         */
        public AutoPartitionSpec build() {
            if (increment == null || increment.isBlank()) {
                throw new InvalidSpecException(
                        SpecField.INCREMENT,
                        "No increment given for " + table
                                + ". Fix: set the partition width, such as '1 day', '1 month' or 100000.");
            }
            return new AutoPartitionSpec(
                    table,
                    column,
                    Increment.parse(increment),
                    initialLowerBound,
                    zone(),
                    minimumAdvancePartitions,
                    maximumAdvancePartitions,
                    retention,
                    retentionAction,
                    retentionSchema,
                    defaultPartition,
                    namingPattern,
                    enabled,
                    blankToNull(tierAfter),
                    blankToNull(tierTablespace),
                    autocreateExpression == null ? null : autocreateExpression.trim());
        }

        private static @Nullable String blankToNull(@Nullable String value) {
            return value == null || value.isBlank() ? null : value.trim();
        }

        private ZoneId zone() {
            try {
                return ZoneId.of(timeZone.trim());
            } catch (DateTimeException e) {
                throw new InvalidSpecException(
                        SpecField.TIME_ZONE,
                        "Time zone '" + timeZone + "' of " + table
                                + " is not known. Fix: use an IANA zone name such as UTC, Europe/Berlin or America/New_York.");
            }
        }
    }
}
