package dev.autopartition.internal.exec;

import dev.autopartition.AutoPartitionSpec;
import dev.autopartition.InvalidSpecException;
import dev.autopartition.RetentionAction;
import dev.autopartition.SpecField;
import dev.autopartition.TableName;
import dev.autopartition.internal.catalog.CatalogReader;
import dev.autopartition.internal.catalog.CitusTable;
import dev.autopartition.internal.catalog.ColumnInfo;
import dev.autopartition.internal.catalog.ManagedTable;
import dev.autopartition.internal.catalog.PartitionRow;
import dev.autopartition.internal.catalog.TableInfo;
import dev.autopartition.internal.plan.ConvertTable;
import dev.autopartition.internal.spec.Grid;
import dev.autopartition.internal.sql.KeyType;
import dev.autopartition.internal.sql.Sql;
import java.sql.Connection;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;

/**
 * Checks a declared rule against the catalog, before anything changes: the table and column exist, the key type
 * suits the increment, the table is partitioned the right way, or is a plain table that is empty (and can then be
 * converted). The result says what declaring the rule involves.
 */
final class Declarer {
    private final CatalogReader reader = new CatalogReader();
    private final String catalogSchema;

    Declarer(String catalogSchema) {
        this.catalogSchema = catalogSchema;
    }

    /**
     * What declaring a rule takes.
     *
     * @param conversion the conversion of an empty plain table, or null when the table is already partitioned
     * @param origin the grid origin to save with the rule
     * @param partitions the partitions already there (adopted)
     * @param creationPosition what the autocreate expression evaluates to now (key units), or null
     */
    record Declaration(
            TableInfo table,
            KeyType keyType,
            @Nullable ConvertTable conversion,
            long origin,
            List<PartitionRow> partitions,
            @Nullable Long creationPosition) {}

    Declaration check(Connection connection, AutoPartitionSpec spec, Optional<ManagedTable> existing) {
        TableName name = spec.table();
        TableInfo table = reader.table(connection, name)
                .orElseThrow(() -> new InvalidSpecException(
                        SpecField.TABLE,
                        "Table " + name
                                + " does not exist. Fix: create it first, or check the schema and the spelling (names are case"
                                + " sensitive when quoted)."));
        table.requireManageable(catalogSchema, "autoPartition");
        ColumnInfo column = table.column(spec.column())
                .orElseThrow(() -> new InvalidSpecException(
                        SpecField.COLUMN,
                        "Column "
                                + Sql.quote(spec.column()) + " does not exist in " + name
                                + ". Fix: use one of its columns: "
                                + table.columns().stream()
                                        .map(c -> Sql.quote(c.name()))
                                        .collect(Collectors.joining(", "))
                                + "."));
        KeyType keyType = KeyType.fromTypname(column.typname())
                .orElseThrow(
                        () -> new InvalidSpecException(
                                SpecField.COLUMN,
                                "Column "
                                        + Sql.quote(spec.column()) + " of " + name + " has type "
                                        + column.formattedType() + ", which"
                                        + " autoPartition cannot manage. Fix: partition on a timestamptz, timestamp, date, uuid (UUIDv7),"
                                        + " smallint, integer or bigint column (list and hash partitions can be created with createPartition)."));
        try {
            Grid.checkFits(keyType, spec.increment());
        } catch (IllegalArgumentException e) {
            throw new InvalidSpecException(
                    SpecField.INCREMENT,
                    "Increment '" + spec.increment() + "' does not fit column " + Sql.quote(spec.column()) + " of "
                            + name + ": " + e.getMessage() + ".");
        }
        if (!column.notNull() && !spec.defaultPartition()) {
            throw new InvalidSpecException(
                    SpecField.COLUMN,
                    "Column " + Sql.quote(spec.column()) + " of " + name + " allows NULL, and"
                            + " a NULL key fits no range partition. Fix: ALTER TABLE " + name + " ALTER COLUMN "
                            + Sql.quote(spec.column()) + " SET NOT NULL, or enable the default partition.");
        }
        Long initial = initialLowerBound(spec, keyType);
        if (spec.retentionAction() == RetentionAction.MOVE
                && !reader.schemaExists(connection, String.valueOf(spec.retentionSchema()))) {
            throw new InvalidSpecException(
                    SpecField.RETENTION_SCHEMA,
                    "Retention schema " + Sql.quote(String.valueOf(spec.retentionSchema())) + " of " + name
                            + " does not exist. Fix: CREATE SCHEMA it first, or name an existing schema.");
        }
        checkTierTablespace(connection, spec);
        Long creationPosition = checkExpression(connection, spec, keyType);
        new ManagedTable(0, 0, spec, keyType, 0).namer().checkFitsKey(name);
        ConvertTable conversion = null;
        List<PartitionRow> partitions = List.of();
        if (table.isPartition()) {
            throw new InvalidSpecException(
                    SpecField.TABLE,
                    name + " is itself a partition of another table. Fix: declare the rule"
                            + " on its parent, or detach it first.");
        } else if (table.isPartitioned()) {
            checkPartitioning(table, spec);
            partitions =
                    reader.partitions(connection, java.util.Set.of(table.oid())).getOrDefault(table.oid(), List.of());
            refuseDefaultPartitionOnCitus(table, spec, partitions);
        } else if (table.relkind() == 'r') {
            if (reader.hasRows(connection, name)) {
                throw new InvalidSpecException(
                        SpecField.TABLE,
                        name + " is a plain table that already holds rows, and autoPartition"
                                + " would have to copy them while it blocks the table. Fix: use migrateToPartitioned, which"
                                + " moves a live table online.");
            }
            conversion = TableConversion.prepare(connection, table, spec.column(), reader.serverMajor(connection));
        } else {
            throw new InvalidSpecException(
                    SpecField.TABLE,
                    name + " is not a table (relkind '" + table.relkind() + "'). Fix: name a"
                            + " plain or partitioned table.");
        }
        long origin = origin(spec, keyType, initial, partitions, existing);
        return new Declaration(table, keyType, conversion, origin, partitions, creationPosition);
    }

    /*
     * Creating a partition next to a default one moves the default's rows of the new range in ctid-addressed batches,
     * which Citus cannot plan on a distributed table ("Recursively planned distributed modifications with ctid on
     * where clause are not supported"): every creation would fail.
     */
    private static void refuseDefaultPartitionOnCitus(
            TableInfo table, AutoPartitionSpec spec, List<PartitionRow> partitions) {
        CitusTable citus = table.citus();
        if (citus == null || citus.kind() != CitusTable.Kind.DISTRIBUTED) {
            return;
        }
        if (spec.defaultPartition() || partitions.stream().anyMatch(PartitionRow::isDefault)) {
            throw new InvalidSpecException(
                    SpecField.DEFAULT_PARTITION,
                    table.name() + " is a Citus distributed table, and Citus cannot move rows out of a default"
                            + " partition in batches, which creating each partition next to one needs. Fix: turn"
                            + " defaultPartition off and, if the table has a default partition, detach it (ALTER TABLE "
                            + table.name() + " DETACH PARTITION ...) before declaring the rule.");
        }
    }

    private void checkTierTablespace(Connection connection, AutoPartitionSpec spec) {
        String tablespace = spec.tierTablespace();
        if (tablespace == null) {
            return;
        }
        Optional<Boolean> usable = reader.tablespaceUsable(connection, tablespace);
        if (usable.isEmpty()) {
            throw new InvalidSpecException(
                    SpecField.TIER_TABLESPACE,
                    "Tier tablespace " + Sql.quote(tablespace) + " of " + spec.table()
                            + " does not exist. Fix: CREATE TABLESPACE it first (outside a transaction), or name an existing"
                            + " tablespace (SELECT spcname FROM pg_tablespace).");
        }
        if (!usable.get()) {
            throw new InvalidSpecException(
                    SpecField.TIER_TABLESPACE,
                    "Tier tablespace " + Sql.quote(tablespace) + " of " + spec.table()
                            + " exists, but the current user may not create relations in it, so partitions cannot move"
                            + " there. Fix: GRANT CREATE ON TABLESPACE " + Sql.quote(tablespace)
                            + " to the user that runs"
                            + " maintenance.");
        }
    }

    /** Runs the autocreate expression once: it must work, and return a type that fits the key. */
    private static @Nullable Long checkExpression(Connection connection, AutoPartitionSpec spec, KeyType keyType) {
        try {
            return AutocreatePosition.evaluate(connection, spec, keyType);
        } catch (AutocreatePosition.Failure e) {
            throw new InvalidSpecException(SpecField.AUTOCREATE_EXPRESSION, String.valueOf(e.getMessage()));
        }
    }

    private static void checkPartitioning(TableInfo table, AutoPartitionSpec spec) {
        TableName name = spec.table();
        Character strategy = table.partitionStrategy();
        if (strategy == null || strategy != 'r') {
            String method = strategy == null ? "an unknown method" : strategy == 'l' ? "LIST" : "HASH";
            throw new InvalidSpecException(
                    SpecField.TABLE,
                    name + " is partitioned by " + method + ", but autoPartition manages range"
                            + " partitions. Fix: use a table partitioned BY RANGE (" + Sql.quote(spec.column()) + ").");
        }
        if (table.partitionKey().size() != 1) {
            throw new InvalidSpecException(
                    SpecField.TABLE,
                    name + " is partitioned by " + table.partitionKey().size() + " columns,"
                            + " but autoPartition manages a range on one column. Fix: use a table partitioned by one column.");
        }
        String key = table.partitionKey().get(0);
        if (key == null) {
            throw new InvalidSpecException(
                    SpecField.TABLE,
                    name + " is partitioned by an expression, but autoPartition manages a"
                            + " range on a plain column. Fix: partition by the column itself.");
        }
        if (!key.equals(spec.column())) {
            throw new InvalidSpecException(
                    SpecField.COLUMN,
                    name + " is partitioned by column " + Sql.quote(key) + ", not " + Sql.quote(spec.column())
                            + ". Fix: declare the rule on column " + Sql.quote(key) + ".");
        }
    }

    static @Nullable Long initialLowerBound(AutoPartitionSpec spec, KeyType keyType) {
        if (spec.initialLowerBound() == null) {
            return null;
        }
        try {
            return keyType.parse(spec.initialLowerBound(), spec.timeZone());
        } catch (IllegalArgumentException e) {
            throw new InvalidSpecException(
                    SpecField.INITIAL_LOWER_BOUND,
                    "Initial lower bound of " + spec.table() + " does not fit column " + Sql.quote(spec.column()) + ": "
                            + e.getMessage() + ".");
        }
    }

    /**
     * The grid origin: the newest partition's upper bound when partitions exist (new ones continue seamlessly),
     * else the initial lower bound, else the aligned default.
     */
    private static long origin(
            AutoPartitionSpec spec,
            KeyType keyType,
            @Nullable Long initial,
            List<PartitionRow> partitions,
            Optional<ManagedTable> existing) {
        Optional<Long> newest = partitions.stream()
                .filter(p -> p.range() && p.upper() != null)
                .map(PartitionRow::upper)
                .max(Long::compare);
        if (newest.isPresent()) {
            if (existing.isPresent()
                    && existing.get().spec().increment().equals(spec.increment())
                    && existing.get().spec().timeZone().equals(spec.timeZone())) {
                return existing.get().origin(); // an unchanged grid keeps its alignment
            }
            return newest.get();
        }
        if (initial != null) {
            return initial;
        }
        return Grid.defaultOrigin(keyType, spec.increment(), spec.timeZone());
    }
}
