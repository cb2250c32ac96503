package dev.autopartition.internal.exec;

import dev.autopartition.AutoPartitionException;
import dev.autopartition.MaintenanceReport;
import dev.autopartition.Plan;
import dev.autopartition.PlannedStatement;
import dev.autopartition.PlannedStep;
import dev.autopartition.RetentionAction;
import dev.autopartition.StatementFailedException;
import dev.autopartition.TableName;
import dev.autopartition.TableReport;
import dev.autopartition.internal.catalog.CatalogReader;
import dev.autopartition.internal.catalog.CitusCatalog;
import dev.autopartition.internal.catalog.CitusTable;
import dev.autopartition.internal.catalog.ColumnInfo;
import dev.autopartition.internal.catalog.EngineCatalog;
import dev.autopartition.internal.catalog.ManagedTable;
import dev.autopartition.internal.catalog.OwnedPartition;
import dev.autopartition.internal.catalog.PartitionRow;
import dev.autopartition.internal.catalog.Placement;
import dev.autopartition.internal.plan.AttachPartition;
import dev.autopartition.internal.plan.CreatePartition;
import dev.autopartition.internal.plan.MovePartition;
import dev.autopartition.internal.plan.Planner;
import dev.autopartition.internal.plan.RemovePartition;
import dev.autopartition.internal.plan.Renderer;
import dev.autopartition.internal.plan.Statement;
import dev.autopartition.internal.plan.Step;
import dev.autopartition.internal.plan.TableState;
import dev.autopartition.internal.plan.Unit;
import dev.autopartition.internal.sql.Transactions;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Maintenance: reads every managed table's state in a few queries, plans, and only for tables with work to do takes
 * the table's advisory lock (skipping a table another maintainer holds), re-reads its state, and carries the steps
 * out one by one, each committing on its own.
 */
final class Maintainer {
    private static final Logger LOG = LoggerFactory.getLogger(Maintainer.class);
    /** The high bits of every advisory lock key the engine takes; the low 32 bits are the table's OID. */
    private static final long LOCK_SPACE = 0x6170_0000_0000_0000L;

    private final Settings settings;
    private final CatalogReader reader = new CatalogReader();
    private final CitusCatalog citusCatalog = new CitusCatalog();

    Maintainer(Settings settings) {
        this.settings = settings;
    }

    private EngineCatalog catalog() {
        return settings.catalog();
    }

    /** The steps maintenance would take now, with their SQL. */
    Plan plan(Connection connection, @Nullable TableName only) {
        List<PlannedStep> steps = new ArrayList<>();
        List<String> notes = new ArrayList<>();
        if (reader.inRecovery(connection)) {
            notes.add("the server is a standby: maintenance does nothing there");
            return new Plan(steps, notes);
        }
        Snapshot snapshot = snapshot(connection, only);
        notes.addAll(snapshot.notes());
        notes.addAll(snapshot.positions());
        for (TableReport failed : snapshot.skipped()) {
            failed.errors().forEach(e -> notes.add(failed.table() + " is left out: " + e));
        }
        for (Map.Entry<ManagedTable, TableState> entry : snapshot.states().entrySet()) {
            for (Step step : Planner.plan(entry.getValue())) {
                steps.add(planned(entry.getKey(), step));
            }
        }
        return new Plan(steps, notes);
    }

    PlannedStep planned(ManagedTable table, Step step) {
        return planned(renderer(table), step);
    }

    static PlannedStep planned(Renderer renderer, Step step) {
        List<PlannedStatement> statements = new ArrayList<>();
        for (Unit unit : renderer.render(step)) {
            for (Statement statement : unit.statements()) {
                if (statement.kind() != Statement.Kind.BOOKKEEPING) {
                    statements.add(statement.planned());
                }
            }
        }
        return new PlannedStep(step.parent(), step.describe(), statements);
    }

    Renderer renderer(ManagedTable table) {
        return new Renderer(table.spec().column(), table.keyType(), table.id(), catalog(), settings.batchSize());
    }

    /** Runs maintenance now. */
    MaintenanceReport maintain(Connection connection, @Nullable TableName only) {
        Instant started = settings.clock().instant();
        long startNanos = System.nanoTime();
        List<TableReport> reports = new ArrayList<>();
        if (reader.inRecovery(connection)) {
            LOG.info("The server is a standby; maintenance does nothing there");
            reports.add(TableReport.skipped(
                    only == null ? TableName.of("*") : only, "the server is a standby (in recovery)"));
            return new MaintenanceReport(started, Duration.ofNanos(System.nanoTime() - startNanos), reports);
        }
        Snapshot snapshot = snapshot(connection, only);
        for (String note : snapshot.notes()) {
            LOG.warn("{}", note);
        }
        for (String position : snapshot.positions()) {
            LOG.info("{}", position);
        }
        for (TableReport failed : snapshot.skipped()) {
            failed.errors().forEach(e -> LOG.warn("{}: {}", failed.table(), e));
        }
        reports.addAll(snapshot.skipped());
        List<Long> seen = new ArrayList<>();
        for (Map.Entry<ManagedTable, TableState> entry : snapshot.states().entrySet()) {
            seen.add(entry.getKey().id());
            if (!Planner.plan(entry.getValue()).isEmpty()) {
                reports.add(maintainTable(connection, entry.getKey()));
            }
        }
        if (!seen.isEmpty()) {
            catalog().touch(connection, seen);
        }
        for (TableReport report : reports) {
            record(connection, started, report);
        }
        return new MaintenanceReport(started, Duration.ofNanos(System.nanoTime() - startNanos), reports);
    }

    private TableReport maintainTable(Connection connection, ManagedTable table) {
        long start = System.nanoTime();
        TableName name = table.spec().table();
        long key = LOCK_SPACE | (table.tableOid() & 0xFFFF_FFFFL);
        if (!advisory(connection, "pg_try_advisory_lock", key)) {
            LOG.info("{}: skipped, another maintainer is working on it", name);
            return TableReport.skipped(name, "busy: another maintainer holds its advisory lock");
        }
        Outcome outcome = new Outcome();
        try {
            // Re-read under the lock: the state may have changed since the snapshot.
            boolean done = runPass(connection, table, name, outcome, false);
            if (done && table.spec().tiering() && !outcome.created.isEmpty()) {
                // partitions created for past days may already be due for the tier tablespace: move them now
                runPass(connection, table, name, outcome, true);
            }
        } catch (AutoPartitionException e) {
            outcome.errors.add(e.getMessage());
        } finally {
            advisory(connection, "pg_advisory_unlock", key);
        }
        return outcome.report(name, Duration.ofNanos(System.nanoTime() - start));
    }

    /** Plans the table afresh and runs its steps (only its moves, when asked); false when a step failed. */
    private boolean runPass(
            Connection connection, ManagedTable table, TableName name, Outcome outcome, boolean movesOnly) {
        Snapshot fresh = snapshot(connection, name);
        fresh.skipped().forEach(r -> outcome.errors.addAll(r.errors()));
        for (Map.Entry<ManagedTable, TableState> entry : fresh.states().entrySet()) {
            if (entry.getKey().id() != table.id()) {
                continue;
            }
            for (Step step : Planner.plan(entry.getValue())) {
                if (movesOnly && !(step instanceof MovePartition)) {
                    continue;
                }
                if (!run(connection, entry.getKey(), step, outcome)) {
                    return false;
                }
            }
        }
        return outcome.errors.isEmpty();
    }

    /** Runs one step; on failure records the error and returns false so the table's later steps wait. */
    boolean run(Connection connection, ManagedTable table, Step step, Outcome outcome) {
        try {
            long moved = settings.executor().run(connection, renderer(table).render(step), step.describe());
            LOG.info("{}: {}", table.spec().table(), step.describe());
            outcome.add(step, moved);
            return true;
        } catch (AutoPartitionException e) {
            LOG.warn("{}: {} failed: {}", table.spec().table(), step.describe(), e.getMessage());
            outcome.errors.add(step.describe() + ": " + e.getMessage());
            return false;
        }
    }

    private static boolean advisory(Connection connection, String function, long key) {
        String sql = "SELECT pg_catalog." + function + "(?)";
        try (PreparedStatement ps = connection.prepareStatement(sql)) {
            ps.setLong(1, key);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() && rs.getBoolean(1);
            }
        } catch (SQLException e) {
            throw new StatementFailedException("Cannot use the table's advisory lock", sql, e);
        }
    }

    /** The state of every (or one) enabled managed table, read in a handful of queries. */
    Snapshot snapshot(Connection connection, @Nullable TableName only) {
        return snapshot(connection, only, false);
    }

    /**
     * The state of every (or one) enabled managed table. A table whose autocreate expression fails is left out and
     * reported as failed, unless {@code lenient} (for status), when it keeps the default position and a note says why.
     */
    Snapshot snapshot(Connection connection, @Nullable TableName only, boolean lenient) {
        List<ManagedTable> rules = catalog().rules(connection, only);
        List<String> notes = new ArrayList<>();
        List<TableReport> skipped = new ArrayList<>();
        Map<Long, TableName> live = liveNames(connection, rules);
        if (followRenames(connection, rules, live)) {
            rules = catalog().rules(connection, only);
        }
        List<ManagedTable> active = new ArrayList<>();
        for (ManagedTable rule : rules) {
            TableName current = live.get(rule.tableOid());
            if (current == null) {
                notes.add(rule.spec().table() + " no longer exists; remove its rule with dropAutoPartition");
                skipped.add(TableReport.skipped(rule.spec().table(), "the table no longer exists"));
            } else if (!rule.spec().enabled()) {
                skipped.add(TableReport.skipped(rule.spec().table(), "disabled"));
            } else {
                active.add(rule);
            }
        }
        Set<Long> oids = active.stream().map(ManagedTable::tableOid).collect(Collectors.toSet());
        // Read once per snapshot. On a Citus worker the engine never gets this far: Citus refuses to let it install
        // its catalog there ("operation is not allowed on this node ... Connect to the coordinator").
        Map<Long, CitusTable> citus = citusCatalog.tables(connection, oids);
        Map<Long, List<OwnedPartition>> owned = catalog()
                .ownedPartitions(
                        connection, active.stream().map(ManagedTable::id).toList());
        Map<Long, CatalogReader.KnownBounds> known = new HashMap<>();
        for (List<OwnedPartition> list : owned.values()) {
            for (OwnedPartition p : list) {
                Long oid = p.oid();
                if (oid != null
                        && p.state().equals("attached")
                        && (p.isDefault() || p.lower() != null || p.upper() != null)) {
                    known.put(oid, new CatalogReader.KnownBounds(p.name(), p.lower(), p.upper(), p.isDefault()));
                }
            }
        }
        Map<Long, List<PartitionRow>> partitions = reader.partitions(connection, oids, known);
        // Names are looked up one by one, and only when a partition is to be created: a schema may hold tens of
        // thousands of relations.
        Map<TableName, Boolean> seen = new HashMap<>();
        java.util.function.Predicate<TableName> exists =
                table -> seen.computeIfAbsent(table, t -> reader.relationExists(connection, t));
        boolean concurrentDetach = reader.serverMajor(connection) >= 14 && !joinsCaller(connection);
        Map<TableName, Placement> placements = reader.placements(
                connection,
                active.stream()
                        .filter(r -> r.spec().tiering())
                        .map(ManagedTable::tableOid)
                        .collect(Collectors.toSet()));
        Map<ManagedTable, TableState> states = new java.util.LinkedHashMap<>();
        List<String> positions = new ArrayList<>();
        for (ManagedTable rule : active) {
            Long creationPosition;
            try {
                creationPosition = AutocreatePosition.evaluate(connection, rule.spec(), rule.keyType());
            } catch (AutocreatePosition.Failure e) {
                if (!lenient) {
                    // one table's expression must not stop maintenance of the others
                    skipped.add(TableReport.failed(rule.spec().table(), String.valueOf(e.getMessage())));
                    continue;
                }
                notes.add(String.valueOf(e.getMessage()));
                creationPosition = null;
            }
            if (rule.spec().autocreateExpression() != null) {
                positions.add(rule.spec().table() + ": autocreate expression "
                        + rule.spec().autocreateExpression()
                        + (creationPosition == null
                                ? " is NULL; advance partitions are counted from the default position"
                                : " = "
                                        + rule.keyType()
                                                .display(
                                                        creationPosition,
                                                        rule.spec().timeZone())
                                        + "; advance partitions are counted from there"));
            }
            // Citus refuses DETACH ... CONCURRENTLY on its tables ("currently unsupported"): a plain detach behind
            // lock_timeout, which the executor propagates to the workers, is the least blocking form there.
            boolean concurrent = concurrentDetach && !citus.containsKey(rule.tableOid());
            states.put(
                    rule, state(connection, rule, partitions, owned, exists, concurrent, placements, creationPosition));
        }
        return new Snapshot(states, notes, skipped, positions, citus);
    }

    private TableState state(
            Connection connection,
            ManagedTable rule,
            Map<Long, List<PartitionRow>> partitions,
            Map<Long, List<OwnedPartition>> owned,
            java.util.function.Predicate<TableName> exists,
            boolean concurrentDetach,
            Map<TableName, Placement> placements,
            @Nullable Long creationPosition) {
        TableName name = rule.spec().table();
        List<PartitionRow> rows = partitions.getOrDefault(rule.tableOid(), List.of());
        Map<TableName, OwnedPartition> ownedByName = new HashMap<>();
        owned.getOrDefault(rule.id(), List.of()).forEach(p -> ownedByName.put(p.name(), p));
        Long maxKey = rule.keyType().isTime()
                ? null
                : reader.maxKey(connection, name, rule.spec().column(), rule.keyType());
        List<String> columns = rows.stream().anyMatch(PartitionRow::isDefault)
                ? reader.table(connection, name).orElseThrow().columns().stream()
                        .filter(c -> !c.generated())
                        .map(ColumnInfo::name)
                        .toList()
                : List.of();
        long now = rule.keyType().isTime()
                ? rule.keyType()
                        .fromInstant(settings.clock().instant(), rule.spec().timeZone())
                : 0;
        return new TableState(
                rule,
                rows,
                ownedByName,
                now,
                maxKey,
                concurrentDetach,
                n -> exists.test(TableName.of(name.schema(), n)),
                exists,
                columns,
                rule.spec().tiering() ? placements : Map.of(),
                creationPosition);
    }

    /** The current name of each rule's table by OID, following renames; missing OIDs are dropped tables. */
    private Map<Long, TableName> liveNames(Connection connection, List<ManagedTable> rules) {
        Map<Long, TableName> live = new HashMap<>();
        if (rules.isEmpty()) {
            return live;
        }
        String sql = """
                SELECT c.oid, n.nspname, c.relname FROM pg_catalog.pg_class c
                  JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace WHERE c.oid = ANY (?)
                """;
        try (PreparedStatement ps = connection.prepareStatement(sql)) {
            ps.setArray(
                    1,
                    connection.createArrayOf(
                            "oid", rules.stream().map(ManagedTable::tableOid).toArray()));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    live.put(rs.getLong(1), TableName.of(rs.getString(2), rs.getString(3)));
                }
            }
        } catch (SQLException e) {
            throw new StatementFailedException("Cannot look up the managed tables", sql, e);
        }
        return live;
    }

    private static boolean joinsCaller(Connection connection) {
        try {
            return Transactions.joinsCaller(connection);
        } catch (SQLException e) {
            throw new StatementFailedException("Cannot read the connection's auto-commit mode", "(getAutoCommit)", e);
        }
    }

    /** Records new names of renamed tables (the OID is the truth); returns whether any was renamed. */
    private boolean followRenames(Connection connection, List<ManagedTable> rules, Map<Long, TableName> live) {
        boolean renamed = false;
        for (ManagedTable rule : rules) {
            TableName current = live.get(rule.tableOid());
            if (current != null && !current.equals(rule.spec().table())) {
                LOG.info("{} was renamed to {}; following it", rule.spec().table(), current);
                catalog().rename(connection, rule.id(), current);
                renamed = true;
            }
        }
        return renamed;
    }

    private void record(Connection connection, Instant started, TableReport report) {
        if (!report.changedSomething() && report.errors().isEmpty() && report.skipped() == null) {
            return;
        }
        String sql = "INSERT INTO " + catalog().table("maintenance_run") + " (schema_name, table_name, started_at,"
                + " duration_ms, created, detached, dropped, moved, moved_rows, skipped, errors, tiered, run_by,"
                + " created_partitions, removed_partitions)"
                + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'java', ?, ?)";
        try (PreparedStatement ps = connection.prepareStatement(sql)) {
            ps.setString(1, report.table().schema());
            ps.setString(2, report.table().name());
            ps.setObject(3, java.time.OffsetDateTime.ofInstant(started, java.time.ZoneOffset.UTC));
            ps.setLong(4, report.duration().toMillis());
            ps.setInt(5, report.created().size());
            ps.setInt(6, report.detached().size());
            ps.setInt(7, report.dropped().size());
            ps.setInt(8, report.moved().size());
            ps.setLong(9, report.movedRows());
            ps.setString(10, report.skipped());
            ps.setString(11, report.errors().isEmpty() ? null : String.join("\n", report.errors()));
            ps.setInt(12, report.tiered().size());
            ps.setArray(13, connection.createArrayOf("text", report.created().toArray()));
            List<String> removed = new ArrayList<>(report.detached());
            removed.addAll(report.dropped());
            removed.addAll(report.moved());
            ps.setArray(14, connection.createArrayOf("text", removed.toArray()));
            ps.executeUpdate();
        } catch (SQLException e) {
            throw new StatementFailedException("Cannot record the maintenance run of " + report.table(), sql, e);
        }
    }

    /**
     * A point-in-time view of the managed tables.
     *
     * @param skipped tables left out, with why (skipped) or what failed (errors)
     * @param positions what each autocreate expression evaluated to
     */
    record Snapshot(
            Map<ManagedTable, TableState> states,
            List<String> notes,
            List<TableReport> skipped,
            List<String> positions,
            Map<Long, CitusTable> citus) {}

    /** What a table's steps did, collected into a report. */
    static final class Outcome {
        final List<String> created = new ArrayList<>();
        final List<String> detached = new ArrayList<>();
        final List<String> dropped = new ArrayList<>();
        final List<String> moved = new ArrayList<>();
        final List<String> tiered = new ArrayList<>();
        final List<String> errors = new ArrayList<>();
        long movedRows;

        void add(Step step, long rows) {
            movedRows += rows;
            if (step instanceof CreatePartition create) {
                created.add(create.partition().name());
            } else if (step instanceof AttachPartition create) {
                created.add(create.partition().name());
            } else if (step instanceof RemovePartition remove) {
                List<String> target = remove.action() == RetentionAction.DROP
                        ? dropped
                        : remove.action() == RetentionAction.MOVE ? moved : detached;
                target.add(remove.partition().name());
            } else if (step instanceof MovePartition move) {
                tiered.add(move.partition().name());
            }
        }

        TableReport report(TableName table, Duration duration) {
            return new TableReport(table, created, detached, dropped, moved, movedRows, null, errors, duration, tiered);
        }
    }
}
