package dev.autopartition.liquibase;

import dev.autopartition.AutoPartitionSpec;
import dev.autopartition.RetentionAction;
import java.util.function.Supplier;
import liquibase.change.DatabaseChangeProperty;
import liquibase.database.Database;
import org.jspecify.annotations.Nullable;

/**
 * A change that gives a table an auto-partition rule ({@code autoPartition}, and {@code migrateToPartitioned} after
 * its cutover): the rule attributes, their checks and the engine's {@link AutoPartitionSpec} built from them.
 */
public abstract class RuleChange extends TunedChange {
    private @Nullable String columnName;
    private @Nullable String increment;
    private @Nullable String initialLowerBound;
    private @Nullable String timeZone;
    private @Nullable String minimumAdvancePartitions;
    private @Nullable String maximumAdvancePartitions;
    private @Nullable String retention;
    private @Nullable String retentionAction;
    private @Nullable String retentionSchema;
    private @Nullable String defaultPartition;
    private @Nullable String namingPattern;
    private @Nullable String enabled;

    @DatabaseChangeProperty(
            description = "The partition key: a NOT NULL timestamptz, timestamp, date, smallint, integer or bigint"
                    + " (autoPartition also takes a uuid holding UUIDv7)",
            exampleValue = "created_at",
            requiredForDatabase = "postgresql",
            supportsDatabase = "postgresql")
    public @Nullable String getColumnName() {
        return columnName;
    }

    public void setColumnName(@Nullable String columnName) {
        this.columnName = columnName;
    }

    @DatabaseChangeProperty(
            description = "Width of each partition: 1 hour, 1 day, 1 week, 1 month, 3 months, 1 year, or a whole number"
                    + " for integer keys",
            exampleValue = "1 day",
            requiredForDatabase = "postgresql",
            supportsDatabase = "postgresql")
    public @Nullable String getIncrement() {
        return increment;
    }

    public void setIncrement(@Nullable String increment) {
        this.increment = increment;
    }

    @DatabaseChangeProperty(
            description =
                    "Where the first partition starts (a key value); default: the current one (a migration: from the"
                            + " table's keys)",
            exampleValue = "2022-01-01",
            requiredForDatabase = "none",
            supportsDatabase = "postgresql")
    public @Nullable String getInitialLowerBound() {
        return initialLowerBound;
    }

    public void setInitialLowerBound(@Nullable String initialLowerBound) {
        this.initialLowerBound = initialLowerBound;
    }

    @DatabaseChangeProperty(
            description = "IANA time zone in which time bounds are aligned; default UTC",
            exampleValue = "Europe/Berlin",
            requiredForDatabase = "none",
            supportsDatabase = "postgresql")
    public @Nullable String getTimeZone() {
        return timeZone;
    }

    public void setTimeZone(@Nullable String timeZone) {
        this.timeZone = timeZone;
    }

    @DatabaseChangeProperty(
            description = "Create partitions once fewer than this many lie ahead; default 2",
            exampleValue = "2",
            requiredForDatabase = "none",
            supportsDatabase = "postgresql")
    public @Nullable String getMinimumAdvancePartitions() {
        return minimumAdvancePartitions;
    }

    public void setMinimumAdvancePartitions(@Nullable String minimumAdvancePartitions) {
        this.minimumAdvancePartitions = minimumAdvancePartitions;
    }

    @DatabaseChangeProperty(
            description = "Then create up to this many ahead; default 5",
            exampleValue = "5",
            requiredForDatabase = "none",
            supportsDatabase = "postgresql")
    public @Nullable String getMaximumAdvancePartitions() {
        return maximumAdvancePartitions;
    }

    public void setMaximumAdvancePartitions(@Nullable String maximumAdvancePartitions) {
        this.maximumAdvancePartitions = maximumAdvancePartitions;
    }

    @DatabaseChangeProperty(
            description = "How long a partition is kept after its upper bound (an interval, or a number for integer"
                    + " keys); default: forever",
            exampleValue = "90 days",
            requiredForDatabase = "none",
            supportsDatabase = "postgresql")
    public @Nullable String getRetention() {
        return retention;
    }

    public void setRetention(@Nullable String retention) {
        this.retention = retention;
    }

    @DatabaseChangeProperty(
            description = "What retention does: drop (default), detach, or move (to retentionSchema)",
            exampleValue = "drop",
            requiredForDatabase = "none",
            supportsDatabase = "postgresql")
    public @Nullable String getRetentionAction() {
        return retentionAction;
    }

    public void setRetentionAction(@Nullable String retentionAction) {
        this.retentionAction = retentionAction;
    }

    @DatabaseChangeProperty(
            description = "The existing schema retention action move moves partitions to",
            exampleValue = "archive",
            requiredForDatabase = "none",
            supportsDatabase = "postgresql")
    public @Nullable String getRetentionSchema() {
        return retentionSchema;
    }

    public void setRetentionSchema(@Nullable String retentionSchema) {
        this.retentionSchema = retentionSchema;
    }

    @DatabaseChangeProperty(
            description = "Whether the table has a default partition for rows outside every range; default false",
            exampleValue = "false",
            requiredForDatabase = "none",
            supportsDatabase = "postgresql")
    public @Nullable String getDefaultPartition() {
        return defaultPartition;
    }

    public void setDefaultPartition(@Nullable String defaultPartition) {
        this.defaultPartition = defaultPartition;
    }

    @DatabaseChangeProperty(
            description = "Partition names: {table}, {lower} (integer lower bound) and a date pattern such as"
                    + " {yyyyMMdd}; default {table}_p<date or lower bound>",
            exampleValue = "{table}_p{yyyyMMdd}",
            requiredForDatabase = "none",
            supportsDatabase = "postgresql")
    public @Nullable String getNamingPattern() {
        return namingPattern;
    }

    public void setNamingPattern(@Nullable String namingPattern) {
        this.namingPattern = namingPattern;
    }

    @DatabaseChangeProperty(
            description = "Whether maintenance acts on the table (after a migration's cutover); default true",
            exampleValue = "true",
            requiredForDatabase = "none",
            supportsDatabase = "postgresql")
    public @Nullable String getEnabled() {
        return enabled;
    }

    public void setEnabled(@Nullable String enabled) {
        this.enabled = enabled;
    }

    // ---------------------------------------------------------------- the rule

    /** Checks rule options of the change type beyond the shared ones, each on top of {@code base}. */
    void checkMoreRule(Problems problems, Supplier<AutoPartitionSpec.Builder> base) {
        // none
    }

    /** Sets rule options of the change type beyond the shared ones. */
    AutoPartitionSpec.Builder moreRule(AutoPartitionSpec.Builder rule) {
        return rule;
    }

    /**
     * Checks the rule attributes without a database, each option on its own on top of a valid base, so that the
     * message names the attribute at fault and every bad one is reported ({@link RuleChecks}).
     */
    void checkRule(Problems problems, Database database) {
        RuleChecks.check(this, problems, database);
    }

    /** The engine's rule of this change, once the attributes are valid. */
    AutoPartitionSpec rule(Database database) {
        AutoPartitionSpec.Builder b = AutoPartitionSpec.builder(table(database), String.valueOf(columnName))
                .increment(String.valueOf(increment))
                .initialLowerBound(initialLowerBound)
                .retention(retention)
                .retentionSchema(retentionSchema)
                .namingPattern(namingPattern);
        if (timeZone != null) {
            b.timeZone(timeZone);
        }
        RuleChecks.advance(b, whole(minimumAdvancePartitions), whole(maximumAdvancePartitions));
        if (retentionAction != null) {
            b.retentionAction(RetentionAction.parse(retentionAction));
        }
        if (defaultPartition != null) {
            b.defaultPartition(Boolean.TRUE.equals(Problems.parseBoolean(defaultPartition)));
        }
        if (enabled != null) {
            b.enabled(!Boolean.FALSE.equals(Problems.parseBoolean(enabled)));
        }
        return moreRule(b).build();
    }

    private static @Nullable Integer whole(@Nullable String text) {
        return text == null ? null : Integer.valueOf(text.trim());
    }

    @Override
    String describe(Database database) {
        return super.describe(database) + " on " + columnName + " by " + increment;
    }
}
