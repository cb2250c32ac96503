package dev.autopartition.liquibase;

import dev.autopartition.AutoPartition;
import dev.autopartition.InvalidSpecException;
import dev.autopartition.PartitionBounds;
import dev.autopartition.PartitionInfo;
import dev.autopartition.TableName;
import java.sql.Connection;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import liquibase.change.ChangeMetaData;
import liquibase.change.DatabaseChange;
import liquibase.change.DatabaseChangeProperty;
import liquibase.database.Database;
import liquibase.exception.RollbackImpossibleException;
import liquibase.parser.core.ParsedNode;
import liquibase.parser.core.ParsedNodeException;
import liquibase.resource.ResourceAccessor;
import liquibase.statement.SqlStatement;
import org.jspecify.annotations.Nullable;

/**
 * Creates one partition: a range ({@code from}/{@code to}), a list ({@code values}), a hash slot ({@code
 * modulus}/{@code remainder}) or the default partition ({@code defaultPartition="true"}). The engine creates it as a
 * standalone table and attaches it, moving matching rows out of the default partition first.
 *
 * <p>Rollback: the partition is detached and dropped. Without a {@code partitionName} that works for ranges only (the
 * range partition that holds {@code from}); list, hash and default partitions need a name to be rolled back.
 */
@DatabaseChange(
        name = "createPartition",
        description = "Creates one range, list, hash or default partition of a partitioned table",
        priority = ChangeMetaData.PRIORITY_DEFAULT,
        appliesTo = "table",
        since = "0.1")
public class CreatePartitionChange extends AbstractPartitionChange {
    private @Nullable String schemaName;
    private @Nullable String tableName;
    private @Nullable String partitionName;
    private @Nullable String from;
    private @Nullable String to;
    private @Nullable String values;
    private @Nullable String modulus;
    private @Nullable String remainder;
    private @Nullable String defaultPartition;
    private @Nullable String lockTimeout;
    private @Nullable String attempts;
    private @Nullable String batchSize;

    @DatabaseChangeProperty(
            description = "Schema of the table and the partition; default: Liquibase's default schema",
            requiredForDatabase = "none",
            supportsDatabase = "postgresql")
    public @Nullable String getSchemaName() {
        return schemaName;
    }

    public void setSchemaName(@Nullable String schemaName) {
        this.schemaName = schemaName;
    }

    @DatabaseChangeProperty(
            description = "The partitioned table",
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
            description = "Name of the new partition; default: from the table's naming pattern",
            exampleValue = "events_2021",
            requiredForDatabase = "none",
            supportsDatabase = "postgresql")
    public @Nullable String getPartitionName() {
        return partitionName;
    }

    public void setPartitionName(@Nullable String partitionName) {
        this.partitionName = partitionName;
    }

    @DatabaseChangeProperty(
            description = "Range partition: lower bound (inclusive), a key value such as 2022-01-01",
            exampleValue = "2021-01-01",
            requiredForDatabase = "none",
            supportsDatabase = "postgresql")
    public @Nullable String getFrom() {
        return from;
    }

    public void setFrom(@Nullable String from) {
        this.from = from;
    }

    @DatabaseChangeProperty(
            description = "Range partition: upper bound (exclusive)",
            exampleValue = "2022-01-01",
            requiredForDatabase = "none",
            supportsDatabase = "postgresql")
    public @Nullable String getTo() {
        return to;
    }

    public void setTo(@Nullable String to) {
        this.to = to;
    }

    @DatabaseChangeProperty(
            description = "List partition: comma-separated values; quote a value that holds a comma SQL-style ('a,b')",
            exampleValue = "de, at, ch",
            requiredForDatabase = "none",
            supportsDatabase = "postgresql")
    public @Nullable String getValues() {
        return values;
    }

    public void setValues(@Nullable String values) {
        this.values = values;
    }

    @DatabaseChangeProperty(
            description = "Hash partition: the modulus",
            exampleValue = "4",
            requiredForDatabase = "none",
            supportsDatabase = "postgresql")
    public @Nullable String getModulus() {
        return modulus;
    }

    public void setModulus(@Nullable String modulus) {
        this.modulus = modulus;
    }

    @DatabaseChangeProperty(
            description = "Hash partition: the remainder, from 0 to modulus - 1",
            exampleValue = "0",
            requiredForDatabase = "none",
            supportsDatabase = "postgresql")
    public @Nullable String getRemainder() {
        return remainder;
    }

    public void setRemainder(@Nullable String remainder) {
        this.remainder = remainder;
    }

    @DatabaseChangeProperty(
            description = "true: create the default partition (for rows outside every other partition)",
            exampleValue = "true",
            requiredForDatabase = "none",
            supportsDatabase = "postgresql")
    public @Nullable String getDefaultPartition() {
        return defaultPartition;
    }

    public void setDefaultPartition(@Nullable String defaultPartition) {
        this.defaultPartition = defaultPartition;
    }

    @DatabaseChangeProperty(
            description = "Lock timeout per DDL statement; not part of the checksum",
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
            description = "Tries when locks are not granted in time; not part of the checksum",
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
            description = "Rows per batch when rows move out of the default partition; not part of the checksum",
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

    /** YAML and JSON may give the list values as a list; it becomes the comma-separated form. */
    @Override
    public void load(ParsedNode parsedNode, ResourceAccessor resourceAccessor) throws ParsedNodeException {
        ParsedNode node = parsedNode.getChild(null, "values");
        if (node != null && node.getValue() instanceof java.util.Collection<?> list) {
            List<String> parts = new ArrayList<>();
            for (Object value : list) {
                parts.add(quoteIfNeeded(String.valueOf(value)));
            }
            node.setValue(String.join(", ", parts));
        }
        super.load(parsedNode, resourceAccessor);
    }

    @Override
    Tuning tuning() {
        return new Tuning(lockTimeout, attempts, batchSize);
    }

    private boolean isRange() {
        return from != null || to != null;
    }

    @Override
    void checkStatic(Problems problems, Database database) {
        problems.require("tableName", tableName, "name the partitioned table.");
        table(problems, database, schemaName, tableName, "tableName");
        if (partitionName != null) {
            table(problems, database, schemaName, partitionName, "partitionName");
        }
        Boolean isDefault = problems.bool("defaultPartition", defaultPartition);
        Integer m = problems.integer("modulus", modulus);
        Integer r = problems.integer("remainder", remainder);
        List<String> kinds = new ArrayList<>();
        if (isRange()) {
            kinds.add("from/to (range)");
        }
        if (values != null) {
            kinds.add("values (list)");
        }
        if (modulus != null || remainder != null) {
            kinds.add("modulus/remainder (hash)");
        }
        if (Boolean.TRUE.equals(isDefault)) {
            kinds.add("defaultPartition (default)");
        }
        if (kinds.size() != 1) {
            problems.error(
                    null,
                    null,
                    (kinds.isEmpty() ? "gives no bounds" : "gives more than one kind of bounds: " + kinds)
                            + ". Fix: give exactly one of from and to (range), values (list), modulus and remainder"
                            + " (hash), or defaultPartition=\"true\".");
            return;
        }
        if (isRange()) {
            problems.require("from", from, "give the lower bound of the range (inclusive), such as 2022-01-01.");
            problems.require("to", to, "give the upper bound of the range (exclusive), such as 2022-02-01.");
        } else if (modulus != null || remainder != null) {
            problems.require("modulus", modulus, "give the hash modulus, such as 4.");
            problems.require("remainder", remainder, "give the remainder, from 0 to modulus - 1.");
            if (m != null && r != null) {
                problems.check("modulus/remainder", m + "/" + r, () -> PartitionBounds.hash(m, r));
            }
        } else if (values != null) {
            problems.check("values", values, () -> parseValues(String.valueOf(values)));
        }
    }

    /** The bounds, once the attributes are valid. */
    PartitionBounds bounds() {
        if (isRange()) {
            return PartitionBounds.range(String.valueOf(from), String.valueOf(to));
        }
        if (values != null) {
            return PartitionBounds.values(parseValues(values).toArray(new String[0]));
        }
        if (modulus != null && remainder != null) {
            return PartitionBounds.hash(Integer.parseInt(modulus.trim()), Integer.parseInt(remainder.trim()));
        }
        return PartitionBounds.defaultPartition();
    }

    /** Splits {@code a, 'b,c', 'it''s'} into its values; quoted values keep their spaces, others are trimmed. */
    static List<String> parseValues(String text) {
        List<String> out = new ArrayList<>();
        int i = 0;
        int n = text.length();
        while (true) {
            while (i < n && Character.isWhitespace(text.charAt(i))) {
                i++;
            }
            StringBuilder value = new StringBuilder();
            if (i < n && text.charAt(i) == '\'') {
                i++;
                while (true) {
                    if (i >= n) {
                        throw new InvalidSpecException("List values '" + text + "' have an unclosed quote. Fix: close"
                                + " it, and double a quote inside a value ('it''s').");
                    }
                    char c = text.charAt(i++);
                    if (c == '\'' && i < n && text.charAt(i) == '\'') {
                        value.append('\'');
                        i++;
                    } else if (c == '\'') {
                        break;
                    } else {
                        value.append(c);
                    }
                }
                while (i < n && Character.isWhitespace(text.charAt(i))) {
                    i++;
                }
                if (i < n && text.charAt(i) != ',') {
                    throw new InvalidSpecException("List values '" + text + "' have text after a quoted value. Fix:"
                            + " separate the values with commas, and double a quote inside a value ('it''s').");
                }
                out.add(value.toString());
            } else {
                while (i < n && text.charAt(i) != ',') {
                    value.append(text.charAt(i++));
                }
                String plain = value.toString().trim();
                if (plain.isEmpty()) {
                    throw new InvalidSpecException("List values '" + text + "' contain an empty value. Fix: remove"
                            + " the extra comma, or write an empty string as ''.");
                }
                out.add(plain);
            }
            if (i >= n) {
                return out;
            }
            i++; // the comma
        }
    }

    private static String quoteIfNeeded(String value) {
        return value.isEmpty() || value.contains(",") || value.contains("'") || !value.equals(value.trim())
                ? "'" + value.replace("'", "''") + "'"
                : value;
    }

    @Override
    void checkDatabase(AutoPartition engine, Database database, Problems problems) {
        engine.planCreatePartition(tableOf(database, schemaName, tableName), partitionName, bounds());
    }

    @Override
    @Nullable
    String attributeFor(String message) {
        if (message.startsWith("The 'from' bound")) {
            return "from";
        }
        if (message.startsWith("The 'to' bound")) {
            return "to";
        }
        if (message.contains(" overlaps ") || message.contains("'from' must be below 'to'")) {
            return "from/to";
        }
        if (message.startsWith("A relation named")) {
            return "partitionName";
        }
        if (message.contains("already has a default partition")) {
            return "defaultPartition";
        }
        if (message.startsWith("Cannot create a")) {
            return isRange() ? "from/to" : values != null ? "values" : "modulus/remainder";
        }
        if (message.startsWith("Table ") || message.contains("is not a partitioned table")) {
            return "tableName";
        }
        return null;
    }

    @Override
    List<String> tablesUsed() {
        return tableName == null ? List.of() : List.of(tableName);
    }

    /**
     * Other partitions created earlier in the same update do not change this one's plan (an overlap is still caught
     * when it runs); anything else that touches the table does.
     */
    @Override
    @Nullable
    String deferredBy(Database database) {
        String table = tableName;
        if (table == null) {
            return null;
        }
        for (ChangeLogScan.Earlier earlier : ChangeLogScan.earlierPending(this, database)) {
            if (!(earlier.change() instanceof CreatePartitionChange)
                    && ChangeLogScan.mayTouch(earlier.change(), table)) {
                return ChangeLogScan.describe(earlier);
            }
        }
        return null;
    }

    @Override
    boolean names(String table) {
        return table.equalsIgnoreCase(String.valueOf(tableName))
                || table.equalsIgnoreCase(String.valueOf(partitionName));
    }

    @Override
    String describe(Database database) {
        return "createPartition " + (partitionName == null ? "" : partitionName + " ") + "of "
                + tableOf(database, schemaName, tableName) + " " + boundsText();
    }

    private String boundsText() {
        if (isRange()) {
            return "FOR VALUES FROM (" + from + ") TO (" + to + ")";
        }
        if (values != null) {
            return "FOR VALUES IN (" + values + ")";
        }
        if (modulus != null || remainder != null) {
            return "FOR VALUES WITH (MODULUS " + modulus + ", REMAINDER " + remainder + ")";
        }
        return "DEFAULT";
    }

    @Override
    String willDo(Database database) {
        return "create the partition as a standalone table, move matching rows out of the default partition, and"
                + " attach it " + boundsText();
    }

    @Override
    String preview(AutoPartition engine, Database database) {
        return engine.planCreatePartition(tableOf(database, schemaName, tableName), partitionName, bounds())
                .toSql();
    }

    @Override
    String execute(AutoPartition engine, Database database) {
        PartitionInfo created =
                engine.createPartition(tableOf(database, schemaName, tableName), partitionName, bounds());
        return "Partition " + created.name() + " of " + tableOf(database, schemaName, tableName) + " created "
                + created.bound();
    }

    // ---------------------------------------------------------------- rollback

    @Override
    @Nullable
    String rollbackImpossible() {
        if (partitionName != null || isRange()) {
            return null;
        }
        String kind = values != null ? "list" : modulus != null || remainder != null ? "hash" : "default";
        return "a " + kind
                + " partition created without partitionName cannot be found again for rollback. Fix: give"
                + " partitionName, or write a <rollback> block with dropPartition.";
    }

    @Override
    public SqlStatement[] generateRollbackStatements(Database database) throws RollbackImpossibleException {
        String reason = rollbackImpossible();
        if (reason != null) {
            throw new RollbackImpossibleException(where() + ": " + reason);
        }
        TableName parent = tableOf(database, schemaName, tableName);
        String what = "rollback of createPartition " + boundsText() + " of " + parent;
        if (outputOnly(database)) {
            Connection connection = jdbc(database);
            String text = "-- autopartition: " + what + "\n";
            if (connection == null) {
                return new SqlStatement[] {
                    new PreviewStatement(text
                            + comment("No live database connection: the partition is detached and"
                                    + " dropped when the rollback runs."))
                };
            }
            String plan = DryRun.run(connection, c -> {
                AutoPartition engine = tuning().engine(c);
                Optional<TableName> target = target(engine, c, parent);
                return target.isPresent()
                        ? engine.planDropPartition(target.get()).toSql()
                        : comment("The partition does not exist now (an earlier rollback of this run may"
                                + " create it). When the rollback runs, it detaches and drops the partition if it"
                                + " exists.");
            });
            return new SqlStatement[] {new PreviewStatement(text + plan)};
        }
        return new SqlStatement[] {
            new EngineStatement(what, database, true, c -> {
                AutoPartition engine = tuning().engine(c);
                Optional<TableName> target = target(engine, c, parent);
                if (target.isEmpty()) {
                    return what + ": nothing to roll back, the partition no longer exists";
                }
                engine.dropPartition(target.get());
                return what + ": partition " + target.get() + " detached and dropped";
            })
        };
    }

    /** The partition this change created: by name, or the range partition holding {@code from}. */
    private Optional<TableName> target(AutoPartition engine, Connection connection, TableName parent) {
        if (partitionName != null) {
            TableName named = TableName.of(parent.schema(), partitionName);
            return exists(connection, named) ? Optional.of(named) : Optional.empty();
        }
        if (!exists(connection, parent)) {
            return Optional.empty();
        }
        return engine.findPartition(parent, String.valueOf(from))
                .filter(p -> !p.isDefault())
                .map(PartitionInfo::name);
    }
}
