package dev.autopartition.internal.exec;

import dev.autopartition.AutoPartitionException;
import dev.autopartition.AutoPartitionSpec;
import dev.autopartition.DatabaseMaintenanceStatus;
import dev.autopartition.HealthReport;
import dev.autopartition.InvalidSpecException;
import dev.autopartition.MaintenanceReport;
import dev.autopartition.MaintenanceRun;
import dev.autopartition.PartitionBounds;
import dev.autopartition.PartitionInfo;
import dev.autopartition.Plan;
import dev.autopartition.PlannedStep;
import dev.autopartition.RunHistory;
import dev.autopartition.SpecField;
import dev.autopartition.StatementFailedException;
import dev.autopartition.TableName;
import dev.autopartition.TableReport;
import dev.autopartition.TableStatus;
import dev.autopartition.internal.catalog.CatalogReader;
import dev.autopartition.internal.catalog.ManagedTable;
import dev.autopartition.internal.catalog.OwnedPartition;
import dev.autopartition.internal.catalog.PartitionRow;
import dev.autopartition.internal.catalog.TableInfo;
import dev.autopartition.internal.migrate.Migrator;
import dev.autopartition.internal.plan.ConvertTable;
import dev.autopartition.internal.plan.Planner;
import dev.autopartition.internal.plan.Renderer;
import dev.autopartition.internal.plan.Step;
import dev.autopartition.internal.plan.TableState;
import dev.autopartition.internal.run.ConnectionSource;
import dev.autopartition.internal.sql.Transactions;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The engine behind the public API: every operation opens a connection, installs the catalog once, and works. */
public final class Engine {
    private static final Logger LOG = LoggerFactory.getLogger(Engine.class);

    private final ConnectionSource source;
    private final Settings settings;
    private final Maintainer maintainer;
    private final Declarer declarer;
    private final CatalogReader reader = new CatalogReader();
    private final AtomicBoolean installed = new AtomicBoolean();

    private final Migrator migrator;

    public Engine(ConnectionSource source, Settings settings) {
        this.source = source;
        this.settings = settings;
        this.maintainer = new Maintainer(settings);
        this.declarer = new Declarer(settings.catalog().schema());
        this.migrator = new Migrator(
                source, settings.catalog(), settings.clock(), settings.executor(), this::declare, this::dropRule);
    }

    public Migrator migrator() {
        return migrator;
    }

    /** Runs migration work on a connection of the engine's. */
    public <T> T migration(java.util.function.BiFunction<Migrator, Connection, T> work) {
        return withConnection(connection -> work.apply(migrator, connection));
    }

    /**
     * Migration work whose input is checked first on a database without the engine's catalog (so without a migration
     * under way): a refusal then leaves no trace, not even the catalog.
     */
    public <T> T startMigration(
            java.util.function.BiFunction<Migrator, Connection, ?> check,
            java.util.function.BiFunction<Migrator, Connection, T> work) {
        return checkedFirst(
                connection -> check.apply(migrator, connection), connection -> work.apply(migrator, connection));
    }

    /** Reads migration state (or plans one) without changing anything. */
    public <T> T migrationDryRun(java.util.function.BiFunction<Migrator, Connection, T> work) {
        return dryRun(connection -> work.apply(migrator, connection));
    }

    /** Work on a connection. */
    interface Work<T> {
        T run(Connection connection);
    }

    /**
     * Work that must change nothing: it runs in a transaction (or a savepoint of the caller's) that is rolled back,
     * so even the catalog install a first call would do leaves no trace.
     */
    <T> T dryRun(Work<T> work) {
        return open(connection -> {
            try {
                boolean join = Transactions.joinsCaller(connection);
                java.sql.Savepoint savepoint = join ? connection.setSavepoint() : null;
                if (!join) {
                    connection.setAutoCommit(false);
                }
                try {
                    settings.catalog().install(connection);
                    return Transactions.asDryRun(join, () -> work.run(connection));
                } finally {
                    if (savepoint != null) {
                        connection.rollback(savepoint);
                    } else {
                        connection.rollback();
                        connection.setAutoCommit(true);
                    }
                }
            } catch (SQLException e) {
                throw new StatementFailedException("Cannot run a dry run", "(rollback)", e);
            }
        });
    }

    /**
     * Work whose input is checked first by a dry run when the catalog has yet to be installed in the database: bad
     * input is refused before the install (the dry run's install is rolled back), so a refusal changes nothing at all.
     * Once the catalog is there, the work's own checks come first anyway.
     */
    private <T> T checkedFirst(Work<?> check, Work<T> work) {
        if (!installed.get() && !open(connection -> settings.catalog().installed(connection))) {
            dryRun(check);
        }
        return withConnection(work);
    }

    <T> T withConnection(Work<T> work) {
        return open(connection -> {
            if (!installed.get()) {
                settings.catalog().install(connection);
                installed.set(true);
            }
            return work.run(connection);
        });
    }

    private <T> T open(Work<T> work) {
        Connection connection;
        try {
            connection = source.open();
        } catch (SQLException e) {
            throw new AutoPartitionException(
                    "Cannot connect to PostgreSQL: [" + e.getSQLState() + "] "
                            + String.valueOf(e.getMessage()).replaceAll("\\.+$", "")
                            + ". Fix: check the data source's URL, user and password.",
                    e);
        }
        String previousTimeout = null;
        try {
            Settings.checkConnection(connection);
            // Catalog reads lock the tables they describe for an instant (pg_get_expr): never wait long behind an
            // ACCESS EXCLUSIVE lock someone else holds. Each DDL unit still sets its own, shorter timeout.
            previousTimeout = Settings.sessionLockTimeout(
                    connection, settings.lockTimeout().multipliedBy(4));
            return work.run(connection);
        } finally {
            if (previousTimeout != null) {
                Settings.restoreLockTimeout(connection, previousTimeout);
            }
            try {
                source.release(connection);
            } catch (SQLException e) {
                LOG.warn("Cannot release a connection: {}", e.getMessage());
            }
        }
    }

    public TableReport declare(AutoPartitionSpec spec) {
        Work<Declarer.Declaration> check = connection ->
                declarer.check(connection, spec, settings.catalog().rule(connection, spec.table()));
        return checkedFirst(check, connection -> {
            Optional<ManagedTable> existing = settings.catalog().rule(connection, spec.table());
            Declarer.Declaration declaration = declarer.check(connection, spec, existing);
            ConvertTable conversion = declaration.conversion();
            long oid = declaration.table().oid();
            if (conversion != null) {
                Renderer renderer = new Renderer(spec.column(), declaration.keyType(), null, settings.catalog(), 1);
                settings.executor().run(connection, renderer.render(conversion), conversion.describe());
                conversion.notes().forEach(n -> LOG.info("{}: {}", spec.table(), n));
                oid = reader.table(connection, spec.table()).orElseThrow().oid();
            }
            saveRule(connection, spec, declaration, oid);
            LOG.info("{}: auto-partition rule saved ({} by {})", spec.table(), spec.column(), spec.increment());
            MaintenanceReport report = maintainer.maintain(connection, spec.table());
            return report.tables().stream()
                    .filter(t -> t.table().equals(spec.table()))
                    .findFirst()
                    .orElse(TableReport.skipped(spec.table(), "nothing to do"));
        });
    }

    private void saveRule(Connection connection, AutoPartitionSpec spec, Declarer.Declaration declaration, long oid) {
        inTransaction(connection, "save the rule of " + spec.table(), () -> {
            long id = settings.catalog().saveRule(connection, oid, spec, declaration.keyType(), declaration.origin());
            Set<TableName> owned = new java.util.HashSet<>();
            settings.catalog().ownedPartitions(connection, List.of(id)).getOrDefault(id, List.of()).stream()
                    .map(OwnedPartition::name)
                    .forEach(owned::add);
            try (var st = connection.createStatement()) {
                for (PartitionRow row : declaration.partitions()) {
                    if (!owned.contains(row.name()) && (row.range() || row.isDefault())) {
                        st.execute(settings.catalog()
                                .recordPartitionSql(
                                        id,
                                        row.name(),
                                        row.lower(),
                                        row.upper(),
                                        row.isDefault(),
                                        "attached",
                                        "adopted"));
                    }
                }
            }
            return id;
        });
    }

    /** What declaring the rule would do, without doing it. */
    public Plan planDeclare(AutoPartitionSpec spec) {
        return dryRun(connection -> {
            Optional<ManagedTable> existing = settings.catalog().rule(connection, spec.table());
            Declarer.Declaration declaration = declarer.check(connection, spec, existing);
            ManagedTable rule = new ManagedTable(
                    existing.map(ManagedTable::id).orElse(0L),
                    declaration.table().oid(),
                    spec,
                    declaration.keyType(),
                    declaration.origin());
            List<PlannedStep> steps = new ArrayList<>();
            List<String> notes = new ArrayList<>();
            if (declaration.conversion() != null) {
                steps.add(maintainer.planned(rule, declaration.conversion()));
                notes.addAll(declaration.conversion().notes());
            }
            notes.add((existing.isPresent() ? "update" : "save") + " the auto-partition rule of " + spec.table()
                    + " in schema " + settings.catalog().schema());
            Map<TableName, OwnedPartition> owned = new HashMap<>();
            declaration
                    .partitions()
                    .forEach(p -> owned.put(
                            p.name(),
                            new OwnedPartition(
                                    rule.id(),
                                    p.name(),
                                    p.lower(),
                                    p.upper(),
                                    p.isDefault(),
                                    "attached",
                                    "adopted",
                                    p.oid())));
            Set<String> names = reader.relationNames(connection, spec.table().schema());
            Long maxKey = declaration.keyType().isTime() || declaration.conversion() != null
                    ? null
                    : reader.maxKey(connection, spec.table(), spec.column(), declaration.keyType());
            TableState state = new TableState(
                    rule,
                    declaration.partitions(),
                    owned,
                    declaration.keyType().isTime()
                            ? declaration.keyType().fromInstant(settings.clock().instant(), spec.timeZone())
                            : 0,
                    maxKey,
                    reader.serverMajor(connection) >= 14,
                    names::contains,
                    t -> t.schema().equals(spec.table().schema()) && names.contains(t.name()),
                    List.of(),
                    spec.tiering() && declaration.conversion() == null
                            ? reader.placements(
                                    connection, Set.of(declaration.table().oid()))
                            : Map.of(),
                    declaration.creationPosition());
            if (spec.autocreateExpression() != null) {
                Long position = declaration.creationPosition();
                notes.add("autocreate expression " + spec.autocreateExpression()
                        + (position == null
                                ? " is NULL now; advance partitions are counted from the default position"
                                : " = " + declaration.keyType().display(position, spec.timeZone())
                                        + " now; advance partitions are counted from there"));
            }
            for (Step step : Planner.plan(state)) {
                steps.add(maintainer.planned(rule, step));
            }
            notes.add("partitions are created from the clock (or the largest key) at the time the change runs");
            return new Plan(steps, notes);
        });
    }

    public boolean dropRule(TableName table) {
        return withConnection(connection -> settings.catalog().deleteRule(connection, table));
    }

    public MaintenanceReport maintain(@Nullable TableName only) {
        Work<Boolean> check = connection -> {
            requireManaged(connection, only);
            return Boolean.TRUE;
        };
        return checkedFirst(check, connection -> {
            requireManaged(connection, only);
            return maintainer.maintain(connection, only);
        });
    }

    public Plan plan(@Nullable TableName only) {
        return dryRun(connection -> {
            requireManaged(connection, only);
            return maintainer.plan(connection, only);
        });
    }

    private void requireManaged(Connection connection, @Nullable TableName table) {
        if (table != null && settings.catalog().rule(connection, table).isEmpty()) {
            throw new InvalidSpecException(
                    SpecField.TABLE,
                    table + " has no auto-partition rule. Fix: declare one with autoPartition,"
                            + " or check the schema and the spelling.");
        }
    }

    public HealthReport health(RunHistory history, Duration migrationStuckAfter) {
        return dryRun(connection -> new HealthReader(settings, new StatusReader(settings, maintainer), migrator)
                .read(connection, history, migrationStuckAfter));
    }

    public void installDatabaseMaintenance() {
        withConnection(connection -> {
            new DatabaseMaintenance(settings).install(connection);
            return Boolean.TRUE;
        });
    }

    public Plan planInstallDatabaseMaintenance() {
        return dryRun(connection -> new DatabaseMaintenance(settings).planInstall());
    }

    public long scheduleWithPgCron(String cron) {
        return withConnection(connection -> new DatabaseMaintenance(settings).schedule(connection, cron));
    }

    public Plan planScheduleWithPgCron(String cron) {
        return dryRun(connection -> new DatabaseMaintenance(settings).planSchedule(connection, cron));
    }

    public boolean uninstallDatabaseMaintenance() {
        return withConnection(connection -> new DatabaseMaintenance(settings).uninstall(connection));
    }

    public Plan planUninstallDatabaseMaintenance() {
        return dryRun(connection -> new DatabaseMaintenance(settings).planUninstall(connection));
    }

    public DatabaseMaintenanceStatus databaseMaintenanceStatus() {
        return dryRun(connection -> new DatabaseMaintenance(settings).status(connection));
    }

    public List<MaintenanceRun> history(@Nullable TableName table, int limit) {
        if (limit < 1) {
            throw new InvalidSpecException("The history limit must be at least 1, was " + limit + ".");
        }
        // Only reads, and never installs the catalog: health checks call this while their own dry run holds an
        // uncommitted install on another connection, which an install here would wait for.
        return open(connection -> settings.catalog().installed(connection)
                ? new StatusReader(settings, maintainer).history(connection, table, limit)
                : List.of());
    }

    public List<TableStatus> status() {
        return dryRun(connection -> new StatusReader(settings, maintainer).status(connection));
    }

    public PartitionInfo createPartition(TableName parent, @Nullable String name, PartitionBounds bounds) {
        ExplicitPartitions partitions = new ExplicitPartitions(settings, reader);
        return checkedFirst(
                connection -> partitions.plan(connection, parent, name, bounds),
                connection -> partitions.create(connection, parent, name, bounds, false));
    }

    public Plan planCreatePartition(TableName parent, @Nullable String name, PartitionBounds bounds) {
        return dryRun(connection -> new ExplicitPartitions(settings, reader).plan(connection, parent, name, bounds));
    }

    public void dropPartition(TableName partition) {
        ExplicitPartitions partitions = new ExplicitPartitions(settings, reader);
        checkedFirst(connection -> partitions.planDrop(connection, partition), connection -> {
            partitions.drop(connection, partition);
            return Boolean.TRUE;
        });
    }

    public Plan planDropPartition(TableName partition) {
        return dryRun(connection -> new ExplicitPartitions(settings, reader).planDrop(connection, partition));
    }

    public Plan planDropRule(TableName table) {
        return dryRun(connection -> {
            boolean managed = settings.catalog().rule(connection, table).isPresent();
            String sql = settings.catalog().deleteRuleSql(table);
            List<PlannedStep> steps = managed
                    ? List.of(new PlannedStep(
                            table,
                            "remove the auto-partition rule of " + table + "; its partitions stay",
                            List.of(dev.autopartition.internal.plan.Statement.bookkeeping(sql)
                                    .planned())))
                    : List.of();
            return new Plan(steps, managed ? List.of() : List.of(table + " has no auto-partition rule"));
        });
    }

    public Optional<PartitionInfo> findPartition(TableName table, String value) {
        return dryRun(connection -> new ExplicitPartitions(settings, reader).find(connection, table, value));
    }

    /** Runs a body in one transaction (or a savepoint of the caller's) on the connection. */
    static void inTransaction(Connection connection, String what, Transactions.Work<?> body) {
        try {
            Transactions.run(connection, body);
        } catch (SQLException e) {
            throw new StatementFailedException("Cannot " + what, "(transaction)", e);
        }
    }

    static TableInfo partitionedTable(CatalogReader reader, Connection connection, TableName table) {
        TableInfo info = reader.table(connection, table)
                .orElseThrow(() -> new InvalidSpecException(
                        SpecField.TABLE,
                        "Table " + table + " does not exist. Fix: create it"
                                + " first, or check the schema and the spelling."));
        if (!info.isPartitioned()) {
            throw new InvalidSpecException(
                    SpecField.TABLE,
                    table + " is not a partitioned table. Fix: declare it with autoPartition"
                            + " (an empty table is converted), or migrate it with migrateToPartitioned.");
        }
        return info;
    }
}
