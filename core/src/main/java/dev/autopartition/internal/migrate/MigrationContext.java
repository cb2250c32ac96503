package dev.autopartition.internal.migrate;

import dev.autopartition.AutoPartitionSpec;
import dev.autopartition.MigrationPhase;
import dev.autopartition.MigrationSpec;
import dev.autopartition.TableName;
import dev.autopartition.internal.catalog.CatalogReader;
import dev.autopartition.internal.pace.Pacer;
import dev.autopartition.internal.plan.Statement;
import dev.autopartition.internal.plan.Unit;
import dev.autopartition.internal.run.ConnectionSource;
import dev.autopartition.internal.run.Executor;
import java.sql.Connection;
import java.time.Clock;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** What every phase of every migration shares: the engine's executor and connections, the catalog, the clock. */
final class MigrationContext {
    private static final Logger LOG = LoggerFactory.getLogger(MigrationContext.class);

    final MigrationStore store;
    final Inventory inventory;
    final CatalogReader reader = new CatalogReader();
    final Executor executor;
    final ConnectionSource connections;
    final PartitionRange range;
    final Clock clock;
    final Consumer<AutoPartitionSpec> register;
    final Consumer<TableName> unregister;
    final Function<MigrationSpec, Pacer> pacers;

    /**
     * Held by a backfill worker while it attaches a partition or adds its foreign keys. Those take locks that conflict
     * with themselves (SHARE UPDATE EXCLUSIVE on the new parent, SHARE ROW EXCLUSIVE on a referenced table), so two
     * workers doing them at once would make one wait out its lock_timeout and fail; they take turns here instead.
     */
    final Object parentLocks = new Object();

    MigrationContext(
            MigrationStore store,
            Inventory inventory,
            Executor executor,
            ConnectionSource connections,
            Clock clock,
            Consumer<AutoPartitionSpec> register,
            Consumer<TableName> unregister,
            Function<MigrationSpec, Pacer> pacers) {
        this.store = store;
        this.inventory = inventory;
        this.executor = executor;
        this.connections = connections;
        this.range = new PartitionRange(clock);
        this.clock = clock;
        this.register = register;
        this.unregister = unregister;
        this.pacers = pacers;
    }

    void run(Connection connection, List<Unit> units, String what) {
        executor.run(connection, units, what);
    }

    /** Runs one statement of the script as it was planned. */
    void run(Connection connection, ScriptStatement statement, String what) {
        executor.run(connection, List.of(statement.unit()), what);
    }

    /** Records a new phase (and message) of the migration and returns its row as stored now. */
    MigrationRow phase(Connection connection, MigrationRow row, MigrationPhase phase, @Nullable String message) {
        run(
                connection,
                List.of(Unit.transaction(Statement.bookkeeping(store.phaseSql(row.id(), phase, message)))),
                "record phase " + phase);
        LOG.info("{}: migration {} is {}", row.table(), row.id(), phase);
        return reload(connection, row);
    }

    MigrationRow reload(Connection connection, MigrationRow row) {
        return store.find(connection, row.table()).orElseThrow();
    }

    MigrationSpec storedSpec(Connection connection, MigrationRow row) {
        AutoPartitionSpec rule = SpecJson.read(connection, store, row.id(), row.table());
        return SpecJson.readPacing(
                        connection, store, row.id(), MigrationSpec.builder(rule).strategy(row.strategy()))
                .build();
    }
}
