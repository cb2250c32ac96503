package dev.autopartition.liquibase;

import dev.autopartition.AutoPartition;
import dev.autopartition.AutoPartitionSpec;
import dev.autopartition.Increment;
import dev.autopartition.RetentionAction;
import dev.autopartition.TableName;
import dev.autopartition.TableReport;
import java.util.List;
import liquibase.change.Change;
import liquibase.change.ChangeMetaData;
import liquibase.change.DatabaseChange;
import liquibase.change.DatabaseChangeProperty;
import liquibase.database.Database;
import org.jspecify.annotations.Nullable;

/**
 * Declares the auto-partition rule of a table, or alters it when the table already has one, then runs maintenance on
 * the table so its partitions exist at once. An empty plain table (from {@code createTable}) becomes a partitioned
 * table; a table created {@code PARTITION BY RANGE} keeps its partitions, which the rule adopts.
 *
 * <p>Rollback: the rule the table had before, when an earlier {@code autoPartition} of the changelog declared one,
 * else the rule is removed (the partitions stay, and the table stays partitioned).
 */
@DatabaseChange(
        name = "autoPartition",
        description = "Declares or alters the auto-partition rule of a table: range partitions on one column, created"
                + " ahead of time and removed after a retention period by maintenance",
        priority = ChangeMetaData.PRIORITY_DEFAULT,
        appliesTo = "table",
        since = "0.1")
public class AutoPartitionChange extends AbstractPartitionChange {
    private @Nullable String schemaName;
    private @Nullable String tableName;
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
    private @Nullable String tierAfter;
    private @Nullable String tierTablespace;
    private @Nullable String autocreateExpression;
    private @Nullable String lockTimeout;
    private @Nullable String attempts;
    private @Nullable String batchSize;

    @DatabaseChangeProperty(
            description = "Schema of the table; default: Liquibase's default schema",
            requiredForDatabase = "none",
            supportsDatabase = "postgresql")
    public @Nullable String getSchemaName() {
        return schemaName;
    }

    public void setSchemaName(@Nullable String schemaName) {
        this.schemaName = schemaName;
    }

    @DatabaseChangeProperty(
            description = "The table to partition: an empty plain table, or one created PARTITION BY RANGE",
            exampleValue = "events",
            requiredForDatabase = "postgresql",
            supportsDatabase = "postgresql")
    public @Nullable String getTableName() {
        return tableName;
    }

    public void setTableName(@Nullable String tableName) {
        this.tableName = tableName;
    }

    @DatabaseChangeProperty(
            description = "The partition key: a NOT NULL timestamptz, timestamp, date, uuid (UUIDv7), smallint, integer"
                    + " or bigint",
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
            description = "Where the first partition starts (a key value); default: the current one",
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
            description = "Whether maintenance acts on the table; default true",
            exampleValue = "true",
            requiredForDatabase = "none",
            supportsDatabase = "postgresql")
    public @Nullable String getEnabled() {
        return enabled;
    }

    public void setEnabled(@Nullable String enabled) {
        this.enabled = enabled;
    }

    @DatabaseChangeProperty(
            description = "Move partitions whose upper bound is older than this (an interval, or a number for integer"
                    + " keys) to tierTablespace, before retention removes them; default: never",
            exampleValue = "30 days",
            requiredForDatabase = "none",
            supportsDatabase = "postgresql")
    public @Nullable String getTierAfter() {
        return tierAfter;
    }

    public void setTierAfter(@Nullable String tierAfter) {
        this.tierAfter = tierAfter;
    }

    @DatabaseChangeProperty(
            description = "The existing tablespace tierAfter moves old partitions and their indexes to",
            exampleValue = "cold",
            requiredForDatabase = "none",
            supportsDatabase = "postgresql")
    public @Nullable String getTierTablespace() {
        return tierTablespace;
    }

    public void setTierTablespace(@Nullable String tierTablespace) {
        this.tierTablespace = tierTablespace;
    }

    @DatabaseChangeProperty(
            description = "An SQL expression evaluated (read-only, briefly) at each maintenance run: advance partitions"
                    + " are counted from its value instead of the clock or the largest key; default: none",
            exampleValue = "now() + interval '7 days'",
            requiredForDatabase = "none",
            supportsDatabase = "postgresql")
    public @Nullable String getAutocreateExpression() {
        return autocreateExpression;
    }

    public void setAutocreateExpression(@Nullable String autocreateExpression) {
        this.autocreateExpression = autocreateExpression;
    }

    @DatabaseChangeProperty(
            description = "Lock timeout per DDL statement (500ms, 2s); default liquibase.autopartition.lockTimeout."
                    + " Not part of the checksum",
            exampleValue = "500ms",
            requiredForDatabase = "none",
            supportsDatabase = "postgresql")
    public @Nullable String getLockTimeout() {
        return lockTimeout;
    }

    public void setLockTimeout(@Nullable String lockTimeout) {
        this.lockTimeout = lockTimeout;
    }

    @DatabaseChangeProperty(
            description = "Tries per step when locks are not granted in time; default liquibase.autopartition.attempts."
                    + " Not part of the checksum",
            exampleValue = "5",
            requiredForDatabase = "none",
            supportsDatabase = "postgresql")
    public @Nullable String getAttempts() {
        return attempts;
    }

    public void setAttempts(@Nullable String attempts) {
        this.attempts = attempts;
    }

    @DatabaseChangeProperty(
            description = "Rows per batch when rows move out of the default partition; default"
                    + " liquibase.autopartition.batchSize. Not part of the checksum",
            exampleValue = "10000",
            requiredForDatabase = "none",
            supportsDatabase = "postgresql")
    public @Nullable String getBatchSize() {
        return batchSize;
    }

    public void setBatchSize(@Nullable String batchSize) {
        this.batchSize = batchSize;
    }

    // ---------------------------------------------------------------- behaviour

    @Override
    Tuning tuning() {
        return new Tuning(lockTimeout, attempts, batchSize);
    }

    @Override
    void checkStatic(Problems problems, Database database) {
        problems.require("tableName", tableName, "name the table to partition.");
        problems.require(
                "columnName",
                columnName,
                "name the partition key, a NOT NULL timestamptz, timestamp, date, uuid, smallint, integer or bigint"
                        + " column.");
        problems.require("increment", increment, "set the partition width, such as '1 day', '1 month' or 100000.");
        TableName table = table(problems, database, schemaName, tableName, "tableName");
        Integer min = problems.integer("minimumAdvancePartitions", minimumAdvancePartitions);
        Integer max = problems.integer("maximumAdvancePartitions", maximumAdvancePartitions);
        problems.bool("defaultPartition", defaultPartition);
        Boolean on = problems.bool("enabled", enabled);
        if (table == null || problems.hasErrors()) {
            return;
        }
        String column = String.valueOf(columnName);
        String width = String.valueOf(increment);
        // Each option is checked on its own (on top of a valid base), so the message names the attribute at fault.
        if (!problems.check("increment", increment, () -> Increment.parse(width))) {
            return;
        }
        String zone = timeZone;
        if (zone != null) {
            problems.check(
                    "timeZone",
                    zone,
                    () -> base(table, column, width).timeZone(zone).build());
        }
        RetentionAction action = RetentionAction.DROP;
        String actionText = retentionAction;
        if (actionText != null) {
            RetentionAction[] parsed = new RetentionAction[1];
            if (problems.check("retentionAction", actionText, () -> parsed[0] = RetentionAction.parse(actionText))) {
                action = parsed[0];
            }
        }
        if (min != null || max != null) {
            String attribute = min != null && max != null
                    ? "minimumAdvancePartitions/maximumAdvancePartitions"
                    : min != null ? "minimumAdvancePartitions" : "maximumAdvancePartitions";
            String value = min != null && max != null
                    ? min + "/" + max
                    : String.valueOf(min != null ? minimumAdvancePartitions : maximumAdvancePartitions);
            problems.check(attribute, value, () -> {
                AutoPartitionSpec.Builder b = base(table, column, width);
                if (min != null) {
                    b.minimumAdvancePartitions(min);
                }
                if (max != null) {
                    b.maximumAdvancePartitions(max);
                }
                b.build();
            });
        }
        String keep = retention;
        if (keep != null) {
            problems.check(
                    "retention",
                    keep,
                    () -> base(table, column, width).retention(keep).build());
        }
        RetentionAction finalAction = action;
        if (retentionSchema != null || action == RetentionAction.MOVE) {
            problems.check(
                    "retentionSchema",
                    retentionSchema,
                    () -> base(table, column, width)
                            .retentionAction(finalAction)
                            .retentionSchema(retentionSchema)
                            .build());
            if (retentionSchema != null && action != RetentionAction.MOVE) {
                problems.warning(
                        "retentionSchema",
                        retentionSchema,
                        "is used only with retentionAction move. Fix: set retentionAction=\"move\" or remove it.");
            }
        }
        if (tierAfter != null || tierTablespace != null) {
            String after = tierAfter;
            String place = tierTablespace;
            problems.check(
                    after == null ? "tierTablespace" : "tierAfter",
                    after == null ? place : after,
                    () -> base(table, column, width)
                            .tierAfter(after)
                            .tierTablespace(place)
                            .retention(keep)
                            .build());
        }
        String expression = autocreateExpression;
        if (expression != null) {
            problems.check(
                    "autocreateExpression",
                    expression,
                    () -> base(table, column, width)
                            .autocreateExpression(expression)
                            .build());
        }
        String pattern = namingPattern;
        if (pattern != null) {
            problems.check(
                    "namingPattern",
                    pattern,
                    () -> base(table, column, width).namingPattern(pattern).build());
        }
        if (!problems.hasErrors()) {
            problems.check(null, null, () -> spec(database));
        }
        if (Boolean.FALSE.equals(on)) {
            problems.warning("enabled", enabled, "maintenance will not act on " + table + " until it is enabled.");
        }
    }

    private static AutoPartitionSpec.Builder base(TableName table, String column, String width) {
        return AutoPartitionSpec.builder(table, column).increment(width);
    }

    /** The engine's spec of this change, once the attributes are valid. */
    AutoPartitionSpec spec(Database database) {
        AutoPartitionSpec.Builder b = AutoPartitionSpec.builder(
                        tableOf(database, schemaName, tableName), String.valueOf(columnName))
                .increment(String.valueOf(increment))
                .initialLowerBound(initialLowerBound)
                .retention(retention)
                .retentionSchema(retentionSchema)
                .namingPattern(namingPattern)
                .tierAfter(tierAfter)
                .tierTablespace(tierTablespace)
                .autocreateExpression(autocreateExpression);
        if (timeZone != null) {
            b.timeZone(timeZone);
        }
        if (minimumAdvancePartitions != null) {
            b.minimumAdvancePartitions(Integer.parseInt(minimumAdvancePartitions.trim()));
        }
        if (maximumAdvancePartitions != null) {
            b.maximumAdvancePartitions(Integer.parseInt(maximumAdvancePartitions.trim()));
        }
        if (retentionAction != null) {
            b.retentionAction(RetentionAction.parse(retentionAction));
        }
        if (defaultPartition != null) {
            b.defaultPartition(Boolean.TRUE.equals(Problems.parseBoolean(defaultPartition)));
        }
        if (enabled != null) {
            b.enabled(!Boolean.FALSE.equals(Problems.parseBoolean(enabled)));
        }
        return b.build();
    }

    @Override
    void checkDatabase(AutoPartition engine, Database database, Problems problems) {
        engine.planAutoPartition(spec(database));
    }

    @Override
    @Nullable
    String attributeFor(String message) {
        if (message.startsWith("Table ") || message.contains(" is not a table") || message.contains("is itself a")) {
            return "tableName";
        }
        if (message.startsWith("Column ") || message.contains("is partitioned by")) {
            return "columnName";
        }
        if (message.startsWith("Increment")) {
            return "increment";
        }
        if (message.startsWith("Initial lower bound")) {
            return "initialLowerBound";
        }
        if (message.startsWith("Retention schema")) {
            return "retentionSchema";
        }
        if (message.startsWith("Tier tablespace")) {
            return "tierTablespace";
        }
        if (message.startsWith("tierAfter") || message.startsWith("Tiering")) {
            return "tierAfter";
        }
        if (message.contains("autocreate expression")) {
            return "autocreateExpression";
        }
        if (message.contains("naming pattern") || message.contains("Naming pattern")) {
            return "namingPattern";
        }
        return null;
    }

    @Override
    List<String> tablesUsed() {
        return tableName == null ? List.of() : List.of(tableName);
    }

    @Override
    boolean names(String table) {
        return table.equalsIgnoreCase(String.valueOf(tableName));
    }

    @Override
    String describe(Database database) {
        return "autoPartition of " + tableOf(database, schemaName, tableName) + " on " + columnName + " by "
                + increment;
    }

    @Override
    String willDo(Database database) {
        return "turn the table into one partitioned BY RANGE (" + columnName + ") if it is a plain empty table,"
                + " save the rule in the autopartition catalog, and create partitions up to "
                + (maximumAdvancePartitions == null ? "5" : maximumAdvancePartitions.trim())
                + " ahead of the clock (of the largest key, for an integer key) as it is then";
    }

    @Override
    String preview(AutoPartition engine, Database database) {
        return engine.planAutoPartition(spec(database)).toSql();
    }

    @Override
    String execute(AutoPartition engine, Database database) {
        AutoPartitionSpec spec = spec(database);
        TableReport report = engine.autoPartition(spec);
        return "Auto-partition rule of " + spec.table() + " saved (" + spec.column() + " by " + spec.increment() + "); "
                + report;
    }

    @Override
    protected Change[] createInverses() {
        AutoPartitionChange previous = previousDeclaration(this, tableName, schemaName);
        if (previous != null) {
            return new Change[] {previous.copy()};
        }
        DropAutoPartitionChange drop = new DropAutoPartitionChange();
        drop.setSchemaName(schemaName);
        drop.setTableName(tableName);
        return new Change[] {drop};
    }

    /** The latest earlier declaration of the same table's rule in the changelog, or null. */
    static @Nullable AutoPartitionChange previousDeclaration(
            Change self, @Nullable String tableName, @Nullable String schemaName) {
        AutoPartitionChange found = null;
        for (Change change : ChangeLogScan.earlier(self)) {
            if (change instanceof AutoPartitionChange declaration
                    && declaration.tableName != null
                    && declaration.tableName.equals(tableName)
                    && java.util.Objects.equals(declaration.schemaName, schemaName)) {
                found = declaration;
            }
        }
        return found;
    }

    /** A copy of this declaration (without a change set), for use as an inverse. */
    AutoPartitionChange copy() {
        AutoPartitionChange c = new AutoPartitionChange();
        c.schemaName = schemaName;
        c.tableName = tableName;
        c.columnName = columnName;
        c.increment = increment;
        c.initialLowerBound = initialLowerBound;
        c.timeZone = timeZone;
        c.minimumAdvancePartitions = minimumAdvancePartitions;
        c.maximumAdvancePartitions = maximumAdvancePartitions;
        c.retention = retention;
        c.retentionAction = retentionAction;
        c.retentionSchema = retentionSchema;
        c.defaultPartition = defaultPartition;
        c.namingPattern = namingPattern;
        c.enabled = enabled;
        c.lockTimeout = lockTimeout;
        c.attempts = attempts;
        c.batchSize = batchSize;
        return c;
    }
}
