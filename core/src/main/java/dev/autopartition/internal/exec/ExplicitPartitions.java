package dev.autopartition.internal.exec;

import dev.autopartition.AutoPartitionException;
import dev.autopartition.InvalidSpecException;
import dev.autopartition.PartitionBounds;
import dev.autopartition.PartitionInfo;
import dev.autopartition.Plan;
import dev.autopartition.RetentionAction;
import dev.autopartition.SpecField;
import dev.autopartition.StatementFailedException;
import dev.autopartition.TableName;
import dev.autopartition.internal.catalog.CatalogReader;
import dev.autopartition.internal.catalog.ColumnInfo;
import dev.autopartition.internal.catalog.ManagedTable;
import dev.autopartition.internal.catalog.PartitionRow;
import dev.autopartition.internal.catalog.TableInfo;
import dev.autopartition.internal.plan.AttachPartition;
import dev.autopartition.internal.plan.CreatePartition;
import dev.autopartition.internal.plan.RemovePartition;
import dev.autopartition.internal.plan.Renderer;
import dev.autopartition.internal.plan.Step;
import dev.autopartition.internal.spec.PartitionNamer;
import dev.autopartition.internal.sql.KeyType;
import dev.autopartition.internal.sql.Sql;
import dev.autopartition.internal.sql.Transactions;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;

/** Creating, dropping and finding single partitions on request. */
final class ExplicitPartitions {
    private final Settings settings;
    private final CatalogReader reader;

    ExplicitPartitions(Settings settings, CatalogReader reader) {
        this.settings = settings;
        this.reader = reader;
    }

    /** A step and what is needed to run it. */
    private record Prepared(
            Step step, Renderer renderer, @Nullable ManagedTable rule, PartitionInfo result) {}

    PartitionInfo create(
            Connection connection, TableName parent, @Nullable String name, PartitionBounds bounds, boolean dry) {
        Prepared prepared = prepare(connection, parent, name, bounds);
        if (!dry) {
            settings.executor()
                    .run(
                            connection,
                            prepared.renderer().render(prepared.step()),
                            prepared.step().describe());
        }
        return prepared.result();
    }

    Plan plan(Connection connection, TableName parent, @Nullable String name, PartitionBounds bounds) {
        Prepared prepared = prepare(connection, parent, name, bounds);
        return new Plan(List.of(Maintainer.planned(prepared.renderer(), prepared.step())), List.of());
    }

    private Prepared prepare(Connection connection, TableName parent, @Nullable String name, PartitionBounds bounds) {
        TableInfo table = Engine.partitionedTable(reader, connection, parent);
        Optional<ManagedTable> rule = settings.catalog().rule(connection, parent);
        List<PartitionRow> existing =
                reader.partitions(connection, Set.of(table.oid())).getOrDefault(table.oid(), List.of());
        Set<String> names = reader.relationNames(connection, parent.schema());
        char strategy = table.partitionStrategy() == null ? '?' : table.partitionStrategy();
        String key =
                table.partitionKey().isEmpty() ? null : table.partitionKey().get(0);
        Optional<KeyType> keyType =
                key == null ? Optional.empty() : table.column(key).flatMap(c -> KeyType.fromTypname(c.typname()));
        ZoneId zone = rule.map(r -> r.spec().timeZone()).orElse(ZoneOffset.UTC);
        Long tableId = rule.map(ManagedTable::id).orElse(null);
        Renderer renderer = new Renderer(
                key == null ? "" : key,
                keyType.orElse(KeyType.BIGINT),
                tableId,
                settings.catalog(),
                settings.batchSize());
        if (name != null) {
            Sql.checkIdentifier(name, "partition name");
            if (names.contains(name)) {
                throw new InvalidSpecException(
                        SpecField.PARTITION_NAME,
                        "A relation named " + Sql.quote(name) + " already exists in schema "
                                + Sql.quote(parent.schema()) + ". Fix: choose another partition name.");
            }
        }
        if (bounds instanceof PartitionBounds.Default) {
            if (existing.stream().anyMatch(PartitionRow::isDefault)) {
                throw new InvalidSpecException(
                        SpecField.DEFAULT_PARTITION, parent + " already has a default partition. Fix: drop it first.");
            }
            PartitionNamer namer =
                    new PartitionNamer(null, parent.name(), KeyType.BIGINT, dev.autopartition.Increment.parse("1"));
            TableName partition =
                    TableName.of(parent.schema(), name != null ? name : namer.defaultName(names::contains));
            return new Prepared(
                    AttachPartition.defaultPartition(parent, partition, false),
                    renderer,
                    rule.orElse(null),
                    new PartitionInfo(partition, "DEFAULT", null, null));
        }
        if (bounds instanceof PartitionBounds.Range range) {
            requireStrategy(parent, strategy, 'r', "range");
            if (key == null || table.partitionKey().size() != 1 || keyType.isEmpty()) {
                throw new InvalidSpecException(
                        SpecField.TABLE,
                        parent + " is range-partitioned on " + table.partitionKey()
                                + "; createPartition computes range bounds for one timestamptz, timestamp, date, smallint,"
                                + " integer or bigint column. Fix: create this partition with SQL.");
            }
            return range(parent, table, key, keyType.get(), zone, range, name, names, existing, rule, renderer);
        }
        String clause;
        String suffix;
        if (bounds instanceof PartitionBounds.Values values) {
            requireStrategy(parent, strategy, 'l', "list");
            clause = "FOR VALUES IN ("
                    + values.values().stream().map(Sql::literal).collect(Collectors.joining(", ")) + ")";
            suffix = "_" + values.values().get(0).replaceAll("[^\\p{L}\\p{N}_]", "_");
        } else {
            PartitionBounds.Hash hash = (PartitionBounds.Hash) bounds;
            requireStrategy(parent, strategy, 'h', "hash");
            clause = "FOR VALUES WITH (MODULUS " + hash.modulus() + ", REMAINDER " + hash.remainder() + ")";
            suffix = "_h" + hash.modulus() + "_" + hash.remainder();
        }
        TableName partition =
                TableName.of(parent.schema(), name != null ? name : unique(parent.name() + suffix, names));
        return new Prepared(
                new AttachPartition(parent, partition, clause, false),
                renderer,
                rule.orElse(null),
                new PartitionInfo(partition, clause, null, null));
    }

    private static String unique(String base, Set<String> names) {
        String name = Sql.truncateToBytes(base, Sql.MAX_IDENTIFIER_BYTES);
        for (int i = 2; names.contains(name); i++) {
            name = Sql.truncateToBytes(base, Sql.MAX_IDENTIFIER_BYTES - 4) + "_" + i;
        }
        return name;
    }

    private Prepared range(
            TableName parent,
            TableInfo table,
            String key,
            KeyType type,
            ZoneId zone,
            PartitionBounds.Range range,
            @Nullable String name,
            Set<String> names,
            List<PartitionRow> existing,
            Optional<ManagedTable> rule,
            Renderer renderer) {
        long lo = parse(parent, key, type, zone, range.from(), "from");
        long hi = parse(parent, key, type, zone, range.to(), "to");
        if (lo >= hi) {
            throw new InvalidSpecException(
                    SpecField.RANGE,
                    "Partition of " + parent + " from " + range.from() + " to " + range.to()
                            + " is empty: 'from' must be below 'to'. Fix: swap or correct the bounds.");
        }
        for (PartitionRow row : existing) {
            if (row.overlaps(lo, hi)) {
                throw new InvalidSpecException(
                        SpecField.RANGE,
                        "Partition of " + parent + " from " + range.from() + " to "
                                + range.to() + " overlaps existing partition " + row.name() + " (" + row.bound()
                                + "). Fix: choose bounds outside it.");
            }
        }
        String partitionName = name;
        if (partitionName == null) {
            PartitionNamer namer = rule.map(ManagedTable::namer)
                    .orElse(new PartitionNamer(
                            null,
                            parent.name(),
                            type,
                            dev.autopartition.Increment.parse(type.isTime() ? "1 day" : "1")));
            partitionName = namer.name(lo, type.isTime() ? type.toLocal(lo, zone) : null, names::contains);
        }
        TableName partition = TableName.of(parent.schema(), partitionName);
        TableName defaultPartition = existing.stream()
                .filter(PartitionRow::isDefault)
                .map(PartitionRow::name)
                .findFirst()
                .orElse(null);
        List<String> columns = table.columns().stream()
                .filter(c -> !c.generated())
                .map(ColumnInfo::name)
                .toList();
        String text = "[" + type.display(lo, zone) + ", " + type.display(hi, zone) + ")";
        CreatePartition step = new CreatePartition(parent, partition, lo, hi, text, false, defaultPartition, columns);
        return new Prepared(
                step,
                renderer,
                rule.orElse(null),
                new PartitionInfo(
                        partition,
                        "FOR VALUES FROM (" + type.literal(lo) + ") TO (" + type.literal(hi) + ")",
                        type.display(lo, zone),
                        type.display(hi, zone)));
    }

    private static long parse(TableName parent, String key, KeyType type, ZoneId zone, String value, String what) {
        try {
            return type.parse(value, zone);
        } catch (IllegalArgumentException e) {
            throw new InvalidSpecException(
                    what.equals("from") ? SpecField.FROM : SpecField.TO,
                    "The '" + what + "' bound of a partition of " + parent + " does not fit" + " key column "
                            + Sql.quote(key) + ": " + e.getMessage() + ".");
        }
    }

    private static void requireStrategy(TableName parent, char strategy, char wanted, String kind) {
        if (strategy != wanted) {
            String actual = strategy == 'r' ? "RANGE" : strategy == 'l' ? "LIST" : strategy == 'h' ? "HASH" : "?";
            throw new InvalidSpecException(
                    wanted == 'r' ? SpecField.RANGE : wanted == 'l' ? SpecField.VALUES : SpecField.HASH,
                    "Cannot create a " + kind + " partition of " + parent + ": it is" + " partitioned by " + actual
                            + ". Fix: give bounds of that kind.");
        }
    }

    void drop(Connection connection, TableName partition) {
        Prepared prepared = prepareDrop(connection, partition);
        settings.executor()
                .run(
                        connection,
                        prepared.renderer().render(prepared.step()),
                        prepared.step().describe());
    }

    Plan planDrop(Connection connection, TableName partition) {
        Prepared prepared = prepareDrop(connection, partition);
        return new Plan(List.of(Maintainer.planned(prepared.renderer(), prepared.step())), List.of());
    }

    private Prepared prepareDrop(Connection connection, TableName partition) {
        String sql = """
                SELECT pn.nspname, p.relname, EXISTS (SELECT 1 FROM pg_catalog.pg_inherits d
                         JOIN pg_catalog.pg_class dc ON dc.oid = d.inhrelid
                        WHERE d.inhparent = i.inhparent AND pg_catalog.pg_get_expr(dc.relpartbound, dc.oid) = 'DEFAULT')
                  FROM pg_catalog.pg_inherits i
                  JOIN pg_catalog.pg_class p ON p.oid = i.inhparent
                  JOIN pg_catalog.pg_namespace pn ON pn.oid = p.relnamespace
                 WHERE i.inhrelid = (SELECT c.oid FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n
                                      ON n.oid = c.relnamespace WHERE n.nspname = ? AND c.relname = ?)
                """;
        TableName parent;
        boolean hasDefault;
        try (PreparedStatement ps = connection.prepareStatement(sql)) {
            ps.setString(1, partition.schema());
            ps.setString(2, partition.name());
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    throw new InvalidSpecException(
                            SpecField.PARTITION,
                            partition + " is not a partition of any table. Fix: check the"
                                    + " schema and the name (DROP TABLE removes a plain table).");
                }
                parent = TableName.of(rs.getString(1), rs.getString(2));
                hasDefault = rs.getBoolean(3);
            }
        } catch (SQLException e) {
            throw new StatementFailedException("Cannot find the parent of " + partition, sql, e);
        }
        Optional<ManagedTable> rule = settings.catalog().rule(connection, parent);
        // Citus refuses DETACH ... CONCURRENTLY on its tables; see docs/citus.md
        boolean concurrently = !hasDefault
                && reader.serverMajor(connection) >= 14
                && autoCommitCapable(connection)
                && reader.table(connection, parent).map(t -> t.citus() == null).orElse(true);
        RemovePartition step = new RemovePartition(
                parent,
                partition,
                RemovePartition.ON_REQUEST,
                RetentionAction.DROP,
                null,
                concurrently ? RemovePartition.Detach.CONCURRENTLY : RemovePartition.Detach.PLAIN);
        Renderer renderer = new Renderer(
                "", KeyType.BIGINT, rule.map(ManagedTable::id).orElse(null), settings.catalog(), settings.batchSize());
        return new Prepared(step, renderer, rule.orElse(null), new PartitionInfo(partition, "", null, null));
    }

    private static boolean autoCommitCapable(Connection connection) {
        try {
            return !Transactions.joinsCaller(connection);
        } catch (SQLException e) {
            throw new AutoPartitionException("Cannot read the connection's auto-commit mode", e);
        }
    }

    Optional<PartitionInfo> find(Connection connection, TableName table, String value) {
        TableInfo info = Engine.partitionedTable(reader, connection, table);
        String key = info.partitionKey().isEmpty() ? null : info.partitionKey().get(0);
        KeyType type = key == null || info.partitionKey().size() != 1
                ? null
                : info.column(key)
                        .flatMap(c -> KeyType.fromTypname(c.typname()))
                        .orElse(null);
        if (key == null || type == null || info.partitionStrategy() == null || info.partitionStrategy() != 'r') {
            throw new InvalidSpecException(
                    SpecField.TABLE,
                    "findPartition works on tables range-partitioned by one timestamptz, uuid,"
                            + " timestamp, date or integer column; " + table + " is not. Fix: query tableoid instead.");
        }
        ZoneId zone = settings.catalog()
                .rule(connection, table)
                .map(r -> r.spec().timeZone())
                .orElse(ZoneOffset.UTC);
        long v = parse(table, key, type, zone, value, "search");
        List<PartitionRow> rows =
                reader.partitions(connection, Set.of(info.oid())).getOrDefault(info.oid(), List.of());
        return rows.stream()
                .filter(r -> !r.detachPending() && r.overlaps(v, v + 1))
                .findFirst()
                .or(() -> rows.stream().filter(PartitionRow::isDefault).findFirst())
                .map(r -> new PartitionInfo(
                        r.name(),
                        r.bound(),
                        r.lower() == null ? null : type.display(r.lower(), zone),
                        r.upper() == null ? null : type.display(r.upper(), zone)));
    }
}
