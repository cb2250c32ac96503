package dev.autopartition.liquibase;

import dev.autopartition.AutoPartition;
import dev.autopartition.Operation;
import dev.autopartition.PartitionInfo;
import dev.autopartition.TableName;
import java.sql.Connection;
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
public class CreatePartitionChange extends TunedChange {
    private @Nullable String partitionName;
    private @Nullable String from;
    private @Nullable String to;
    private @Nullable String values;
    private @Nullable String modulus;
    private @Nullable String remainder;
    private @Nullable String defaultPartition;

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

    // ---------------------------------------------------------------- behaviour

    /** YAML and JSON may give the list values as a list; it becomes the comma-separated form. */
    @Override
    public void load(ParsedNode parsedNode, ResourceAccessor resourceAccessor) throws ParsedNodeException {
        Bounds.asText(parsedNode);
        super.load(parsedNode, resourceAccessor);
    }

    /** Splits {@code values} ({@link Bounds#parse}). */
    static List<String> parseValues(String text) {
        return Bounds.parse(text);
    }

    /** The bound attributes. */
    Bounds bounds() {
        return new Bounds(from, to, values, modulus, remainder, defaultPartition);
    }

    @Override
    void checkStatic(Problems problems, Database database) {
        requireTable(problems, database, "name the partitioned table.");
        resolve(problems, database, partitionName, "partitionName");
        bounds().check(problems);
    }

    @Override
    Operation.CreatePartition operation(Database database) {
        return new Operation.CreatePartition(table(database), partitionName, bounds().bounds());
    }

    /**
     * Other partitions created earlier in the same update do not change this one's plan (an overlap is still caught
     * when it runs); anything else that touches the table does.
     */
    @Override
    @Nullable
    String deferredBy(Database database) {
        String table = getTableName();
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
        return super.names(table) || table.equalsIgnoreCase(String.valueOf(partitionName));
    }

    @Override
    String describe(Database database) {
        return "createPartition " + (partitionName == null ? "" : partitionName + " ") + "of " + table(database) + " "
                + bounds().text();
    }

    @Override
    String willDo(Database database) {
        return "create the partition as a standalone table, move matching rows out of the default partition, and"
                + " attach it " + bounds().text();
    }

    @Override
    String execute(AutoPartition engine, Database database) {
        PartitionInfo created = engine.apply(operation(database));
        return "Partition " + created.name() + " of " + table(database) + " created " + created.bound();
    }

    // ---------------------------------------------------------------- rollback

    @Override
    @Nullable
    String rollbackImpossible() {
        if (partitionName != null || bounds().isRange()) {
            return null;
        }
        return "a " + bounds().kind()
                + " partition created without partitionName cannot be found again for rollback. Fix: give"
                + " partitionName, or write a <rollback> block with dropPartition.";
    }

    @Override
    public SqlStatement[] generateRollbackStatements(Database database) throws RollbackImpossibleException {
        String reason = rollbackImpossible();
        if (reason != null) {
            throw new RollbackImpossibleException(where() + ": " + reason);
        }
        TableName parent = table(database);
        String what = "rollback of createPartition " + bounds().text() + " of " + parent;
        return Preview.rollback(
                this,
                database,
                what,
                Preview.comment(
                        "No live database connection: the partition is detached and dropped when the rollback runs."),
                (engine, c) -> target(engine, c, parent)
                        .map(target ->
                                engine.plan(new Operation.DropPartition(target)).toSql())
                        .orElse(Preview.comment("The partition does not exist now (an earlier rollback of this run may"
                                + " create it). When the rollback runs, it detaches and drops the partition if it"
                                + " exists.")),
                (engine, c) -> {
                    Optional<TableName> target = target(engine, c, parent);
                    if (target.isEmpty()) {
                        return what + ": nothing to roll back, the partition no longer exists";
                    }
                    engine.apply(new Operation.DropPartition(target.get()));
                    return what + ": partition " + target.get() + " detached and dropped";
                });
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
        return engine.apply(new Operation.FindPartition(parent, String.valueOf(from)))
                .filter(p -> !p.isDefault())
                .map(PartitionInfo::name);
    }
}
