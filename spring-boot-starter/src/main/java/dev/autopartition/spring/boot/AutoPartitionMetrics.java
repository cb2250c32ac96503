package dev.autopartition.spring.boot;

import dev.autopartition.HealthReport;
import dev.autopartition.LastRun;
import dev.autopartition.MigrationHealth;
import dev.autopartition.MigrationPhase;
import dev.autopartition.RunHistory;
import dev.autopartition.TableHealth;
import dev.autopartition.TableName;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.function.ToDoubleFunction;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.ApplicationListener;
import org.springframework.context.event.ContextRefreshedEvent;

/**
 * Gauges per managed table and per unfinished online migration, tagged {@code table=schema.name}. A table gets its
 * meters the first time a read of the catalog shows it (once the context has started, after each maintenance pass, at
 * each health check); a gauge of a table that is gone reads NaN.
 */
final class AutoPartitionMetrics implements MeterBinder, ApplicationListener<ContextRefreshedEvent> {
    private static final Logger LOG = LoggerFactory.getLogger(AutoPartitionMetrics.class);

    private final HealthReads reads;
    private final Supplier<RunHistory> history;
    private final List<MeterRegistry> registries = new CopyOnWriteArrayList<>();
    private final Set<String> tables = ConcurrentHashMap.newKeySet();
    private final Set<String> migrations = ConcurrentHashMap.newKeySet();

    AutoPartitionMetrics(HealthReads reads, Supplier<RunHistory> history) {
        this.reads = reads;
        this.history = history;
        reads.onRead(this::register);
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        registries.add(registry);
        // no read here: registries are bound while the context starts, before the migrations have run
        HealthReport last = reads.lastRead();
        if (last != null) {
            last.tables().forEach(t -> registerTable(registry, t.table()));
            last.migrations().forEach(m -> registerMigration(registry, m.table()));
        }
    }

    /** The migrations have run by now: read once, so the tables get their meters even without maintenance here. */
    @Override
    public void onApplicationEvent(ContextRefreshedEvent event) {
        try {
            reads.refresh();
        } catch (RuntimeException e) {
            LOG.warn("Cannot read the managed tables for their metrics; the next read tries again: {}", e.getMessage());
        }
    }

    private void register(HealthReport report) {
        for (TableHealth table : report.tables()) {
            if (tables.add(HealthDetails.key(table.table()))) {
                registries.forEach(registry -> registerTable(registry, table.table()));
            }
        }
        for (MigrationHealth migration : report.migrations()) {
            if (migrations.add(HealthDetails.key(migration.table()))) {
                registries.forEach(registry -> registerMigration(registry, migration.table()));
            }
        }
    }

    private void registerTable(MeterRegistry registry, TableName table) {
        tables.add(HealthDetails.key(table));
        tableGauge(registry, table, "autopartition.partitions", "partitions of the table", null, t ->
                (double) t.status().partitions());
        tableGauge(
                registry,
                table,
                "autopartition.partitions.advance",
                "whole partitions ahead of the current one (-1: the current one is missing)",
                null,
                t -> (double) t.status().advancePartitions());
        tableGauge(
                registry,
                table,
                "autopartition.partitions.advance.minimum",
                "the rule's minimum of partitions ahead",
                null,
                t -> (double) t.status().minimumAdvancePartitions());
        tableGauge(
                registry,
                table,
                "autopartition.bound.oldest",
                "lowest lower bound: epoch seconds for time keys, the key for integer keys",
                null,
                t -> orNaN(t.oldestBound()));
        tableGauge(
                registry,
                table,
                "autopartition.bound.newest",
                "highest upper bound: epoch seconds for time keys, the key for integer keys",
                null,
                t -> orNaN(t.newestBound()));
        tableGauge(registry, table, "autopartition.default.rows", "rows in the default partition", "rows", t ->
                (double) t.defaultRows());
        tableGauge(
                registry,
                table,
                "autopartition.maintenance.last.duration",
                "how long this application's last pass worked on the table",
                "seconds",
                t -> seconds(t.lastRun()));
        tableGauge(
                registry,
                table,
                "autopartition.maintenance.last.outcome",
                "this application's last pass on the table: 0 success, 1 skipped, 2 failed",
                null,
                t -> outcome(t.lastRun()));
        String key = HealthDetails.key(table);
        FunctionCounter.builder(
                        "autopartition.partitions.created",
                        history,
                        h -> h.get().partitionsCreated(table))
                .description("partitions this application's maintenance created")
                .tag("table", key)
                .register(registry);
        FunctionCounter.builder(
                        "autopartition.partitions.removed",
                        history,
                        h -> h.get().partitionsRemoved(table))
                .description("partitions this application's maintenance detached, dropped or moved")
                .tag("table", key)
                .register(registry);
    }

    private void registerMigration(MeterRegistry registry, TableName table) {
        migrations.add(HealthDetails.key(table));
        migrationGauge(registry, table, "autopartition.migration.rows.copied", "rows the backfill copied", m ->
                (double) m.status().rowsCopied());
        migrationGauge(
                registry, table, "autopartition.migration.rows.estimate", "rows the backfill expects to copy", m ->
                        (double) m.status().rowsEstimate());
        migrationGauge(registry, table, "autopartition.migration.backlog", "recorded changes not yet replayed", m ->
                (double) m.status().backlog());
        migrationGauge(
                registry,
                table,
                "autopartition.migration.phase",
                "0 prepared, 1 backfilled, 2 verified, 3 cut over (NaN once finalized or aborted)",
                m -> phase(m.status().phase()));
    }

    private void tableGauge(
            MeterRegistry registry,
            TableName table,
            String name,
            String description,
            @Nullable String unit,
            ToDoubleFunction<TableHealth> value) {
        Gauge.Builder<HealthReads> builder = Gauge.builder(
                        name, reads, r -> find(r, table, HealthReport::tables, TableHealth::table, value))
                .description(description)
                .tag("table", HealthDetails.key(table))
                .strongReference(true);
        if (unit != null) {
            builder.baseUnit(unit);
        }
        builder.register(registry);
    }

    private void migrationGauge(
            MeterRegistry registry,
            TableName table,
            String name,
            String description,
            ToDoubleFunction<MigrationHealth> value) {
        Gauge.builder(name, reads, r -> find(r, table, HealthReport::migrations, MigrationHealth::table, value))
                .description(description)
                .tag("table", HealthDetails.key(table))
                .strongReference(true)
                .register(registry);
    }

    private static <T> double find(
            HealthReads reads,
            TableName table,
            Function<HealthReport, List<T>> rows,
            Function<T, TableName> name,
            ToDoubleFunction<T> value) {
        HealthReport report;
        try {
            report = reads.current();
        } catch (RuntimeException e) {
            return Double.NaN;
        }
        return rows.apply(report).stream()
                .filter(row -> name.apply(row).equals(table))
                .findFirst()
                .map(row -> value.applyAsDouble(row))
                .orElse(Double.NaN);
    }

    /** The phase as a number; the order is the migration's. */
    private static double phase(MigrationPhase phase) {
        return switch (phase) {
            case PREPARED -> 0;
            case BACKFILLED -> 1;
            case VERIFIED -> 2;
            case CUT_OVER -> 3;
            case FINALIZED -> 4;
            case ABORTED -> 5;
        };
    }

    private static double seconds(@Nullable LastRun last) {
        return last == null ? Double.NaN : last.duration().toNanos() / 1e9;
    }

    private static double orNaN(@Nullable Double value) {
        return value == null ? Double.NaN : value;
    }

    private static double outcome(@Nullable LastRun last) {
        if (last == null) {
            return Double.NaN;
        }
        return switch (last.outcome()) {
            case SUCCESS -> 0;
            case SKIPPED -> 1;
            case FAILED -> 2;
        };
    }
}
