package dev.autopartition.liquibase;

import dev.autopartition.AutoPartition;
import dev.autopartition.AutoPartitionException;
import dev.autopartition.AutoPartitionSpec;
import dev.autopartition.InvalidSpecException;
import dev.autopartition.MigrationPhase;
import dev.autopartition.MigrationSpec;
import dev.autopartition.MigrationStatus;
import dev.autopartition.MigrationStrategy;
import dev.autopartition.TableName;
import java.sql.Connection;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import liquibase.change.Change;
import liquibase.change.ChangeMetaData;
import liquibase.change.DatabaseChange;
import liquibase.change.DatabaseChangeProperty;
import liquibase.changelog.ChangeSet;
import liquibase.database.Database;
import liquibase.parser.core.ParsedNode;
import liquibase.parser.core.ParsedNodeException;
import liquibase.resource.ResourceAccessor;
import liquibase.statement.SqlStatement;
import org.jspecify.annotations.Nullable;

/**
 * Migrates a plain table with live traffic into a range-partitioned table of the same name, online ({@link
 * AutoPartition#migrateToPartitioned}): the new table is built beside the original while changes are recorded, loaded
 * in batches, caught up and compared, then swapped in by one short cutover transaction. The rule attributes are those
 * of {@code autoPartition}; after the cutover the table is registered with that rule, so maintenance takes over.
 *
 * <p>The migration commits many small transactions (each copy batch with its cursor), so the change set must say
 * {@code runInTransaction="false"}. A change set that failed (a cutover that did not get its lock, a killed process)
 * is not recorded by Liquibase and runs again on the next {@code update}; the engine then resumes from the phase and
 * the cursors it recorded.
 *
 * <p>Rollback: the original table, kept in step since the cutover, is swapped back ({@link
 * AutoPartition#undoMigration}; nothing written since the cutover is lost), then the migration's helpers are dropped
 * ({@link AutoPartition#abortMigration}), unless an earlier change set of the changelog prepared the migration with
 * {@code cutover="false"}: then the migration goes back to that state. Impossible after {@code finalizeMigration}.
 */
@DatabaseChange(
        name = "migrateToPartitioned",
        description = "Migrates a plain table with live traffic into a range-partitioned table of the same name,"
                + " online and resumably; needs runInTransaction=\"false\"",
        priority = ChangeMetaData.PRIORITY_DEFAULT,
        appliesTo = "table",
        since = "0.1")
public class MigrateToPartitionedChange extends AbstractPartitionChange {
    private static final Pattern KEY_COLUMN_HINT = Pattern.compile("foreignKeyKeyColumn\\(\"([^\"]+)\", column\\)");

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
    private @Nullable String strategy;
    private @Nullable String foreignKeyKeyColumns;
    private @Nullable String cutover;
    private @Nullable String batchSize;
    private @Nullable String pause;
    private @Nullable String cutoverLockTimeout;
    private @Nullable String cutoverAttempts;
    private @Nullable String lockTimeout;
    private @Nullable String attempts;

    // ---------------------------------------------------------------- attributes

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
            description = "The plain table to migrate; it must have a primary key",
            exampleValue = "chat_messages",
            requiredForDatabase = "postgresql",
            supportsDatabase = "postgresql")
    public @Nullable String getTableName() {
        return tableName;
    }

    public void setTableName(@Nullable String tableName) {
        this.tableName = tableName;
    }

    @DatabaseChangeProperty(
            description = "The partition key: a NOT NULL timestamptz, timestamp, date, smallint, integer or bigint",
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
            description = "Where the partition grid starts (a key value); default: from the table's keys",
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
            requiredForDatabase = "none",
            supportsDatabase = "postgresql")
    public @Nullable String getTimeZone() {
        return timeZone;
    }

    public void setTimeZone(@Nullable String timeZone) {
        this.timeZone = timeZone;
    }

    @DatabaseChangeProperty(
            description = "After the cutover: create partitions once fewer than this many lie ahead; default 2",
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
            requiredForDatabase = "none",
            supportsDatabase = "postgresql")
    public @Nullable String getMaximumAdvancePartitions() {
        return maximumAdvancePartitions;
    }

    public void setMaximumAdvancePartitions(@Nullable String maximumAdvancePartitions) {
        this.maximumAdvancePartitions = maximumAdvancePartitions;
    }

    @DatabaseChangeProperty(
            description = "How long a partition is kept after its upper bound; default: forever",
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
            requiredForDatabase = "none",
            supportsDatabase = "postgresql")
    public @Nullable String getRetentionSchema() {
        return retentionSchema;
    }

    public void setRetentionSchema(@Nullable String retentionSchema) {
        this.retentionSchema = retentionSchema;
    }

    @DatabaseChangeProperty(
            description = "Whether the table keeps a default partition for rows outside every range; default false",
            requiredForDatabase = "none",
            supportsDatabase = "postgresql")
    public @Nullable String getDefaultPartition() {
        return defaultPartition;
    }

    public void setDefaultPartition(@Nullable String defaultPartition) {
        this.defaultPartition = defaultPartition;
    }

    @DatabaseChangeProperty(
            description = "Partition names: {table}, {lower} and a date pattern such as {yyyyMMdd}",
            requiredForDatabase = "none",
            supportsDatabase = "postgresql")
    public @Nullable String getNamingPattern() {
        return namingPattern;
    }

    public void setNamingPattern(@Nullable String namingPattern) {
        this.namingPattern = namingPattern;
    }

    @DatabaseChangeProperty(
            description = "Whether maintenance acts on the table after the cutover; default true",
            requiredForDatabase = "none",
            supportsDatabase = "postgresql")
    public @Nullable String getEnabled() {
        return enabled;
    }

    public void setEnabled(@Nullable String enabled) {
        this.enabled = enabled;
    }

    @DatabaseChangeProperty(
            description = "copy (default: every row is copied into its own partition) or attach (the table becomes"
                    + " one legacy partition, nothing is copied)",
            exampleValue = "copy",
            requiredForDatabase = "none",
            supportsDatabase = "postgresql")
    public @Nullable String getStrategy() {
        return strategy;
    }

    public void setStrategy(@Nullable String strategy) {
        this.strategy = strategy;
    }

    @DatabaseChangeProperty(
            description = "For inbound foreign keys on columns that will no longer be unique: constraint=column pairs,"
                    + " comma-separated, naming the referencing table's column that holds the partition key",
            exampleValue = "chat_messages_chat_id_fkey=chat_created_at",
            requiredForDatabase = "none",
            supportsDatabase = "postgresql")
    public @Nullable String getForeignKeyKeyColumns() {
        return foreignKeyKeyColumns;
    }

    public void setForeignKeyKeyColumns(@Nullable String foreignKeyKeyColumns) {
        this.foreignKeyKeyColumns = foreignKeyKeyColumns;
    }

    @DatabaseChangeProperty(
            description = "Whether to cut over as soon as the table is verified; default true. false stops before the"
                    + " cutover, which a later migrateToPartitioned of the table (with cutover true) does",
            requiredForDatabase = "none",
            supportsDatabase = "postgresql")
    public @Nullable String getCutover() {
        return cutover;
    }

    public void setCutover(@Nullable String cutover) {
        this.cutover = cutover;
    }

    @DatabaseChangeProperty(
            description =
                    "Rows per copy batch (each commits with its cursor); default liquibase.autopartition.batchSize."
                            + " Not part of the checksum",
            requiredForDatabase = "none",
            supportsDatabase = "postgresql")
    public @Nullable String getBatchSize() {
        return batchSize;
    }

    public void setBatchSize(@Nullable String batchSize) {
        this.batchSize = batchSize;
    }

    @DatabaseChangeProperty(
            description = "A pause between copy batches (50ms, 1s); default none. Not part of the checksum",
            requiredForDatabase = "none",
            supportsDatabase = "postgresql")
    public @Nullable String getPause() {
        return pause;
    }

    public void setPause(@Nullable String pause) {
        this.pause = pause;
    }

    @DatabaseChangeProperty(
            description = "How long one cutover attempt waits for its lock on the table; default 300ms. Not part of"
                    + " the checksum",
            requiredForDatabase = "none",
            supportsDatabase = "postgresql")
    public @Nullable String getCutoverLockTimeout() {
        return cutoverLockTimeout;
    }

    public void setCutoverLockTimeout(@Nullable String cutoverLockTimeout) {
        this.cutoverLockTimeout = cutoverLockTimeout;
    }

    @DatabaseChangeProperty(
            description = "How many cutover attempts, with backoff; default 20. Not part of the checksum",
            requiredForDatabase = "none",
            supportsDatabase = "postgresql")
    public @Nullable String getCutoverAttempts() {
        return cutoverAttempts;
    }

    public void setCutoverAttempts(@Nullable String cutoverAttempts) {
        this.cutoverAttempts = cutoverAttempts;
    }

    @DatabaseChangeProperty(
            description = "Lock timeout of the other DDL statements (500ms, 2s); default"
                    + " liquibase.autopartition.lockTimeout. Not part of the checksum",
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
            requiredForDatabase = "none",
            supportsDatabase = "postgresql")
    public @Nullable String getAttempts() {
        return attempts;
    }

    public void setAttempts(@Nullable String attempts) {
        this.attempts = attempts;
    }

    // ---------------------------------------------------------------- loading

    /**
     * YAML and JSON may give {@code foreignKeyKeyColumns} as a map ({@code {chat_messages_chat_id_fkey:
     * chat_created_at}}) or a list ({@code ["a_fkey=x", "b_fkey=y"]}); either becomes the comma-separated form, so the
     * checksum is the one of the same pairs written as text.
     */
    @Override
    public void load(ParsedNode parsedNode, ResourceAccessor resourceAccessor) throws ParsedNodeException {
        ParsedNode node = parsedNode.getChild(null, "foreignKeyKeyColumns");
        if (node != null) {
            List<String> pairs = new ArrayList<>();
            if (node.getValue() == null && !node.getChildren().isEmpty()) {
                for (ParsedNode pair : node.getChildren()) {
                    pairs.add(quoteIfNeeded(pair.getName()) + "=" + quoteIfNeeded(String.valueOf(pair.getValue())));
                }
            } else if (node.getValue() instanceof java.util.Collection<?> list) {
                list.forEach(item -> pairs.add(String.valueOf(item).trim()));
            }
            if (!pairs.isEmpty()) {
                parsedNode.removeChild(null, "foreignKeyKeyColumns");
                parsedNode.addChild(null, "foreignKeyKeyColumns", String.join(", ", pairs));
            }
        }
        super.load(parsedNode, resourceAccessor);
    }

    private static String quoteIfNeeded(String name) {
        return name.matches("[^\",=\\s]+") ? name : "\"" + name.replace("\"", "\"\"") + "\"";
    }

    /**
     * Parses {@code a_fkey=col, "Odd, Name"=other}: pairs separated by commas, constraint and column separated by
     * {@code =}; a name holding a comma, an equals sign, a quote or a space is written in double quotes (a quote
     * doubled inside). Names are the catalog's exact spelling.
     */
    static Map<String, String> parseKeyColumns(String text) {
        Map<String, String> out = new LinkedHashMap<>();
        int[] at = {0};
        int n = text.length();
        while (true) {
            String constraint = name(text, at, "constraint");
            skipSpace(text, at);
            if (at[0] >= n || text.charAt(at[0]) != '=') {
                throw new InvalidSpecException("foreignKeyKeyColumns '" + text + "' has no '=' after constraint "
                        + constraint + ". Fix: write constraint=column pairs separated by commas, such as"
                        + " chat_messages_chat_id_fkey=chat_created_at.");
            }
            at[0]++;
            String column = name(text, at, "column");
            if (out.put(constraint, column) != null) {
                throw new InvalidSpecException("foreignKeyKeyColumns '" + text + "' names constraint " + constraint
                        + " twice. Fix: name each foreign key once.");
            }
            skipSpace(text, at);
            if (at[0] >= n) {
                return out;
            }
            if (text.charAt(at[0]) != ',') {
                throw new InvalidSpecException("foreignKeyKeyColumns '" + text + "' has unexpected text at position "
                        + (at[0] + 1) + ". Fix: separate the constraint=column pairs with commas, and quote a name"
                        + " holding a comma, '=' or a space in double quotes.");
            }
            at[0]++;
        }
    }

    private static String name(String text, int[] at, String what) {
        skipSpace(text, at);
        int n = text.length();
        StringBuilder out = new StringBuilder();
        if (at[0] < n && text.charAt(at[0]) == '"') {
            at[0]++;
            while (true) {
                if (at[0] >= n) {
                    throw new InvalidSpecException("foreignKeyKeyColumns '" + text + "' has an unclosed quote. Fix:"
                            + " close it, and double a quote inside a name.");
                }
                char c = text.charAt(at[0]++);
                if (c == '"' && at[0] < n && text.charAt(at[0]) == '"') {
                    out.append('"');
                    at[0]++;
                } else if (c == '"') {
                    break;
                } else {
                    out.append(c);
                }
            }
        } else {
            while (at[0] < n && ",=".indexOf(text.charAt(at[0])) < 0) {
                out.append(text.charAt(at[0]++));
            }
        }
        String result = out.toString().trim();
        if (result.isEmpty()) {
            throw new InvalidSpecException("foreignKeyKeyColumns '" + text + "' has an empty " + what + " name. Fix:"
                    + " write constraint=column pairs separated by commas, such as"
                    + " chat_messages_chat_id_fkey=chat_created_at.");
        }
        return result;
    }

    private static void skipSpace(String text, int[] at) {
        while (at[0] < text.length() && Character.isWhitespace(text.charAt(at[0]))) {
            at[0]++;
        }
    }

    // ---------------------------------------------------------------- behaviour

    @Override
    Tuning tuning() {
        return new Tuning(lockTimeout, attempts, batchSize);
    }

    /** The rule attributes as an autoPartition change, whose checks and spec this change shares. */
    private AutoPartitionChange rule() {
        AutoPartitionChange rule = new AutoPartitionChange();
        rule.setSchemaName(schemaName);
        rule.setTableName(tableName);
        rule.setColumnName(columnName);
        rule.setIncrement(increment);
        rule.setInitialLowerBound(initialLowerBound);
        rule.setTimeZone(timeZone);
        rule.setMinimumAdvancePartitions(minimumAdvancePartitions);
        rule.setMaximumAdvancePartitions(maximumAdvancePartitions);
        rule.setRetention(retention);
        rule.setRetentionAction(retentionAction);
        rule.setRetentionSchema(retentionSchema);
        rule.setDefaultPartition(defaultPartition);
        rule.setNamingPattern(namingPattern);
        rule.setEnabled(enabled);
        return rule;
    }

    @Override
    void checkStatic(Problems problems, Database database) {
        ChangeSet changeSet = getChangeSet();
        if (changeSet != null && changeSet.isRunInTransaction()) {
            problems.error(
                    null,
                    null,
                    "must run outside a transaction, and change set " + changeSet.getId()
                            + " runs in one (runInTransaction defaults to true). The migration commits many small"
                            + " transactions (each copy batch with its cursor, so that a rerun resumes) and one short"
                            + " cutover transaction, which Liquibase's transaction around the change set would"
                            + " prevent. Fix: add runInTransaction=\"false\" to change set " + changeSet.getId()
                            + " (YAML and JSON: runInTransaction: false), and keep migrateToPartitioned alone in its"
                            + " change set.");
        } else if (changeSet != null && changeSet.getChanges().size() > 1) {
            problems.warning(
                    null,
                    null,
                    "is not alone in change set " + changeSet.getId() + ". Outside a transaction every change of the"
                            + " set commits on its own, and when the migration fails (a cutover that does not get its"
                            + " lock), the whole change set runs again on the next update. Fix: give"
                            + " migrateToPartitioned a change set of its own.");
        }
        rule().checkStatic(problems, database);
        if (strategy != null) {
            String value = strategy;
            problems.check("strategy", value, () -> strategyOf(value));
        }
        problems.bool("cutover", cutover);
        if (foreignKeyKeyColumns != null) {
            String pairs = foreignKeyKeyColumns;
            problems.check("foreignKeyKeyColumns", pairs, () -> parseKeyColumns(pairs));
        }
        if (pause != null) {
            String value = pause;
            problems.check("pause", value, () -> Tuning.duration(value, "pause", true));
        }
        if (cutoverLockTimeout != null) {
            String value = cutoverLockTimeout;
            problems.check("cutoverLockTimeout", value, () -> Tuning.duration(value, "cutoverLockTimeout", false));
        }
        if (cutoverAttempts != null) {
            Integer value = problems.integer("cutoverAttempts", cutoverAttempts);
            if (value != null && value < 1) {
                problems.error(
                        "cutoverAttempts",
                        cutoverAttempts,
                        "cutoverAttempts must be at least 1. Fix: use for example 20.");
            }
        }
    }

    private static MigrationStrategy strategyOf(String text) {
        return switch (text.trim().toLowerCase(Locale.ROOT)) {
            case "copy" -> MigrationStrategy.COPY;
            case "attach" -> MigrationStrategy.ATTACH;
            default ->
                throw new InvalidSpecException("Unknown strategy '" + text
                        + "'. Fix: use copy (rows are copied into their partitions) or attach"
                        + " (the table becomes one legacy partition).");
        };
    }

    private TableName table(Database database) {
        return tableOf(database, schemaName, tableName);
    }

    private boolean cutsOver() {
        return cutover == null || !Boolean.FALSE.equals(Problems.parseBoolean(cutover));
    }

    /** The engine's spec of this change, once the attributes are valid. */
    MigrationSpec spec(Database database) {
        AutoPartitionSpec rule = rule().spec(database);
        MigrationSpec.Builder b = MigrationSpec.builder(rule).cutover(cutsOver());
        if (strategy != null) {
            b.strategy(strategyOf(strategy));
        }
        Integer batch = batchSize != null
                ? Integer.valueOf(batchSize.trim())
                : AutoPartitionConfiguration.BATCH_SIZE.getCurrentValue();
        if (batch != null) {
            b.batchSize(batch);
        }
        if (pause != null) {
            b.pause(Tuning.duration(pause, "pause", true));
        }
        if (cutoverLockTimeout != null) {
            b.cutoverLockTimeout(Tuning.duration(cutoverLockTimeout, "cutoverLockTimeout", false));
        }
        if (cutoverAttempts != null) {
            b.cutoverAttempts(Integer.parseInt(cutoverAttempts.trim()));
        }
        if (foreignKeyKeyColumns != null) {
            parseKeyColumns(foreignKeyKeyColumns).forEach(b::foreignKeyKeyColumn);
        }
        return b.build();
    }

    /** Whether a migration of the table is under way or done, so the change resumes or only reports it. */
    private static boolean resumes(Optional<MigrationStatus> status) {
        return status.isPresent()
                && status.get().phase() != MigrationPhase.ABORTED
                && status.get().phase() != MigrationPhase.FINALIZED;
    }

    @Override
    void checkDatabase(AutoPartition engine, Database database, Problems problems) {
        Optional<MigrationStatus> status = engine.migrationStatus(table(database));
        if (resumes(status)) {
            String text = strategy;
            MigrationStrategy wanted = text == null ? MigrationStrategy.COPY : strategyOf(text);
            if (status.get().strategy() != wanted) {
                throw new InvalidSpecException("The migration of " + table(database) + " under way uses strategy "
                        + status.get().strategy() + ", not " + wanted + ". Fix: set strategy to "
                        + status.get().strategy().name().toLowerCase(Locale.ROOT) + " to resume it.");
            }
            return; // the engine resumes it; the table is no longer what a new migration would plan from
        }
        if (status.isPresent() && status.get().phase() == MigrationPhase.FINALIZED) {
            return; // migrated and finalized already: the change reports it
        }
        engine.planMigration(spec(database));
    }

    @Override
    @Nullable
    String attributeFor(String message) {
        if (message.contains("foreignKeyKeyColumn")) {
            return "foreignKeyKeyColumns";
        }
        if (message.contains("strategy")) {
            return "strategy";
        }
        if (message.startsWith("Cannot migrate ") || message.contains("is not a plain table")) {
            return "tableName";
        }
        if (message.contains("allows NULL") || message.contains("a migration partitions by")) {
            return "columnName";
        }
        return rule().attributeFor(message);
    }

    /** The engine speaks Java ({@code foreignKeyKeyColumn("x", column)}); the changelog's attribute is added. */
    @Override
    Problems problems(Database database) {
        Problems problems = super.problems(database);
        List<String> errors = problems.errors();
        for (int i = 0; i < errors.size(); i++) {
            Matcher m = KEY_COLUMN_HINT.matcher(errors.get(i));
            if (m.find()) {
                errors.set(
                        i,
                        errors.get(i) + " In this change: foreignKeyKeyColumns=\"" + m.group(1)
                                + "=<column>\" (several pairs separated by commas).");
            }
        }
        return problems;
    }

    @Override
    List<String> tablesUsed() {
        return tableName == null ? List.of() : List.of(tableName);
    }

    /**
     * The migrated table, and with {@code foreignKeyKeyColumns} any table: the cutover re-points foreign keys of
     * tables this change does not name (by constraint only), so later changes' checks wait until it has run.
     */
    @Override
    boolean names(String table) {
        return table.equalsIgnoreCase(String.valueOf(tableName)) || foreignKeyKeyColumns != null;
    }

    @Override
    String describe(Database database) {
        return "migrateToPartitioned of " + table(database) + " on " + columnName + " by " + increment;
    }

    @Override
    String willDo(Database database) {
        return "migrate " + table(database) + " online into a table partitioned by range (" + columnName + "), one"
                + " partition per " + increment + " (strategy "
                + (strategy == null ? "copy" : strategy.trim().toLowerCase(Locale.ROOT)) + "): record changes, "
                + "copy the rows in batches, catch up, compare, and "
                + (cutsOver() ? "cut over in one short transaction" : "stop before the cutover (cutover=\"false\")")
                + "; the statements depend on the table's rows, keys and constraints then";
    }

    @Override
    String preview(AutoPartition engine, Database database) {
        TableName table = table(database);
        String note = comment("Runs outside a transaction: the engine commits each step (and each copy batch) itself"
                + " and resumes from its catalog when the change set runs again. Apply it with update; this script is"
                + " for review.");
        Optional<MigrationStatus> status = engine.migrationStatus(table);
        if (resumes(status)) {
            MigrationStatus s = status.get();
            return note
                    + comment("A migration of " + table + " is under way (" + s + "). update resumes it from phase "
                            + s.phase()
                            + (s.phase() == MigrationPhase.CUT_OVER ? " (it only finishes the bookkeeping)" : "")
                            + "; the remaining statements were planned when it started.");
        }
        if (status.isPresent() && status.get().phase() == MigrationPhase.FINALIZED) {
            return note + comment(table + " was migrated and finalized already: the change does nothing.");
        }
        return note + engine.planMigration(spec(database)).toSql();
    }

    @Override
    String execute(AutoPartition engine, Database database) {
        TableName table = table(database);
        Optional<MigrationStatus> before = engine.migrationStatus(table);
        if (before.isPresent() && before.get().phase() == MigrationPhase.FINALIZED) {
            return "migrateToPartitioned of " + table + ": migrated and finalized already (" + before.get() + ")";
        }
        MigrationStatus status;
        try {
            status = engine.migrateToPartitioned(spec(database));
        } catch (AutoPartitionException e) {
            throw new AutoPartitionException(e.getMessage() + whatNext(engine, table), e);
        }
        String resumed = resumes(before) ? " (resumed from " + before.get().phase() + ")" : "";
        return status.phase() == MigrationPhase.CUT_OVER
                ? "Migrated " + table + " to a partitioned table" + resumed + ": " + status
                : "Migration of " + table + " stopped before the cutover" + resumed + ": " + status;
    }

    /** After a failure: where the migration stands, and that the next update resumes it. */
    private String whatNext(AutoPartition engine, TableName table) {
        Optional<MigrationStatus> after;
        try {
            after = engine.migrationStatus(table);
        } catch (RuntimeException e) {
            after = Optional.empty();
        }
        if (!resumes(after)) {
            return "";
        }
        MigrationPhase phase = after.get().phase();
        return " The migration stays at " + phase + " and keeps recording changes; Liquibase did not record change set "
                + changeSetId() + ", so the next update runs it again and it resumes "
                + (phase == MigrationPhase.VERIFIED ? "with the cutover." : "from there.");
    }

    private String changeSetId() {
        ChangeSet changeSet = getChangeSet();
        return changeSet == null ? "" : changeSet.toString(false);
    }

    // ---------------------------------------------------------------- rollback

    @Override
    @Nullable
    String rollbackImpossible() {
        return null; // decided when the rollback runs: impossible only after finalizeMigration
    }

    @Override
    protected Change[] createInverses() {
        return new Change[0];
    }

    /** Whether an earlier change of the changelog prepared this migration with cutover="false". */
    private boolean preparedEarlier() {
        for (Change change : ChangeLogScan.earlier(this)) {
            if (change instanceof MigrateToPartitionedChange earlier
                    && String.valueOf(earlier.tableName).equals(String.valueOf(tableName))
                    && java.util.Objects.equals(earlier.schemaName, schemaName)
                    && !earlier.cutsOver()) {
                return true;
            }
        }
        return false;
    }

    @Override
    public SqlStatement[] generateRollbackStatements(Database database) {
        TableName table = table(database);
        boolean backToVerified = cutsOver() && preparedEarlier();
        String what = "rollback of migrateToPartitioned of " + table;
        String plan = backToVerified
                ? "swap the original table back in (undoMigration), keeping every row written since the cutover;"
                        + " the migration returns to VERIFIED, as the earlier change set with cutover=\"false\" left it"
                : "swap the original table back in (undoMigration), keeping every row written since the cutover,"
                        + " then drop the migration's helpers (abortMigration): the table is as it was before the"
                        + " change set";
        if (outputOnly(database)) {
            StringBuilder text = new StringBuilder("-- autopartition: " + what + "\n");
            Connection connection = jdbc(database);
            Optional<MigrationStatus> status = connection == null
                    ? Optional.empty()
                    : DryRun.run(connection, c -> tuning().engine(c).migrationStatus(table));
            if (status.isPresent()) {
                text.append(comment("Now: " + status.get()));
                if (status.get().phase() == MigrationPhase.FINALIZED) {
                    text.append(comment(
                            "Cannot be rolled back: the migration was finalized and the original table" + " is gone."));
                }
            }
            text.append(comment("Runs outside a transaction. It will " + plan + "."));
            return new SqlStatement[] {new PreviewStatement(text.toString())};
        }
        return new SqlStatement[] {
            new EngineStatement(what, database, true, c -> rollBack(tuning().engine(c), table, backToVerified, what))
        };
    }

    private String rollBack(AutoPartition engine, TableName table, boolean backToVerified, String what) {
        Optional<MigrationStatus> status = engine.migrationStatus(table);
        if (status.isEmpty() || status.get().phase() == MigrationPhase.ABORTED) {
            return what + ": nothing to roll back, no migration of " + table + " is under way";
        }
        MigrationStatus now = status.get();
        if (now.phase() == MigrationPhase.FINALIZED) {
            throw new AutoPartitionException(where() + " cannot be rolled back: the migration of " + table
                    + " was finalized (finalizeMigration), so the original table is gone. Fix: migrate the data"
                    + " back by hand if you must, and mark the change set rolled back with changelog-sync or a"
                    + " <rollback> block of your own (<rollback/> for none).");
        }
        if (now.phase() == MigrationPhase.CUT_OVER) {
            now = engine.undoMigration(table);
        }
        if (!backToVerified && now.phase() != MigrationPhase.ABORTED) {
            now = engine.abortMigration(table);
        }
        return what + ": " + table + " is the original table again; " + now;
    }
}
