package dev.autopartition.internal.migrate;

import dev.autopartition.AutoPartitionException;
import dev.autopartition.AutoPartitionSpec;
import dev.autopartition.InvalidSpecException;
import dev.autopartition.LockTimeoutException;
import dev.autopartition.MigrationPhase;
import dev.autopartition.MigrationSpec;
import dev.autopartition.MigrationStatus;
import dev.autopartition.MigrationStrategy;
import dev.autopartition.Plan;
import dev.autopartition.PlannedStatement;
import dev.autopartition.PlannedStep;
import dev.autopartition.SpecField;
import dev.autopartition.StatementFailedException;
import dev.autopartition.TableName;
import dev.autopartition.internal.catalog.CatalogReader;
import dev.autopartition.internal.catalog.EngineCatalog;
import dev.autopartition.internal.exec.ConnectionSource;
import dev.autopartition.internal.plan.Statement;
import dev.autopartition.internal.plan.Unit;
import dev.autopartition.internal.spec.Grid;
import dev.autopartition.internal.spec.PartitionNamer;
import dev.autopartition.internal.sql.KeyType;
import dev.autopartition.internal.sql.Sql;
import dev.autopartition.internal.sql.Transactions;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Online migration of a plain table into a partitioned one: prepare, backfill, catch up and verify, cut over, and
 * the explicit finalize, undo and abort. Every phase records its progress in the engine's catalog together with its
 * work, so a killed process resumes where it stopped when the same call is made again.
 */
public final class Migrator {
    private static final Logger LOG = LoggerFactory.getLogger(Migrator.class);
    private static final int REPLAY_BATCH = 5_000;
    /** A backlog still above this after the catch-up means writers outpace the replay: worth a warning. */
    private static final int CUTOVER_BACKLOG = 200;

    private static final int MAX_REPLAY_PASSES = 10;
    private static final int CATCH_UP_ROUNDS = 3;

    /**
     * Held by a backfill worker while it attaches a partition or adds its foreign keys. Those take locks that conflict
     * with themselves (SHARE UPDATE EXCLUSIVE on the new parent, SHARE ROW EXCLUSIVE on a referenced table), so two
     * workers doing them at once would make one wait out its lock_timeout and fail; they take turns here instead.
     */
    private final Object parentLocks = new Object();
    /** The first slice of a partition's copy: a guess the later slices correct from the rows it held. */
    private static final int INITIAL_SLICES = 16;

    private static final Duration NEW_TABLE_LOCK_TIMEOUT = Duration.ofSeconds(5);

    private final Clock clock;
    private final Duration lockTimeout;
    private final int attempts;
    private final MigrationStore store;
    private final Inventory inventory;
    private final CatalogReader reader = new CatalogReader();
    private final PartitionRange range;
    private final Consumer<AutoPartitionSpec> register;
    private final Consumer<TableName> unregister;
    private final ConnectionSource connections;

    public Migrator(
            ConnectionSource connections,
            EngineCatalog catalog,
            Clock clock,
            Duration lockTimeout,
            int attempts,
            Consumer<AutoPartitionSpec> register,
            Consumer<TableName> unregister) {
        this.clock = clock;
        this.range = new PartitionRange(clock, reader);
        this.lockTimeout = lockTimeout;
        this.attempts = attempts;
        this.store = new MigrationStore(catalog);
        this.inventory = new Inventory(catalog.schema());
        this.connections = connections;
        this.register = register;
        this.unregister = unregister;
    }

    // ---------------------------------------------------------------- plan

    /** Every step the migration would take, with the lock each statement takes, without changing anything. */
    public Plan plan(Connection connection, MigrationSpec spec) {
        int major = reader.serverMajor(connection);
        SourceTable source = inventory.read(connection, spec, major);
        String newName = MigrationSql.newName(source.name());
        MigrationSql sql = new MigrationSql(source, store, 0, newName, MigrationSql.retiredName(source.name()));
        if (spec.strategy() == MigrationStrategy.ATTACH) {
            return planAttach(connection, spec, source, sql, major);
        }
        List<TargetPartition> partitions =
                range.plan(connection, source, spec.partitioning(), Set.of(), spec.skipEmptyPeriods());
        List<PlannedStep> steps = new ArrayList<>();
        TableName table = source.name();
        List<PlannedStatement> prepare = new ArrayList<>();
        for (String s : sql.createNewParent(major >= 17)) {
            prepare.add(new PlannedStatement(s, "none on " + table + " (the new table is not in use yet)", true));
        }
        for (String s : sql.capture(table, false)) {
            prepare.add(new PlannedStatement(
                    s,
                    s.startsWith("CREATE TRIGGER")
                            ? "SHARE ROW EXCLUSIVE on " + table + ", for at most lock_timeout (blocks writes that long)"
                            : "none on " + table,
                    true));
        }
        steps.add(new PlannedStep(
                table,
                "prepare: create " + sql.newTable() + " partitioned by range (" + Sql.quote(source.keyColumn())
                        + ") and start recording changes to " + table,
                prepare));
        if (spec.strategy() == MigrationStrategy.COPY) {
            for (TargetPartition p : partitions) {
                List<PlannedStatement> load = new ArrayList<>();
                load.add(new PlannedStatement(sql.createPartition(p), "none on " + table, true));
                load.add(new PlannedStatement(sql.boundsCheck(p), "none on " + table, true));
                load.add(new PlannedStatement(
                        sql.copySlice(p, p.lower(), p.upper()) + " -- in slices of the key of about " + spec.batchSize()
                                + " rows, each committed with its cursor",
                        "ACCESS SHARE on " + table + " (reads, in batches of " + spec.batchSize() + ")",
                        true));
                for (String s : major < 18 ? sql.partitionForeignKeys(p) : List.<String>of()) {
                    load.add(new PlannedStatement(s, "ROW SHARE on the referenced table", true));
                }
                load.add(new PlannedStatement(sql.vacuum(p), "none on " + table, true));
                for (String s : sql.attach(p).subList(0, 2)) {
                    load.add(new PlannedStatement(s, "none on " + table + " (the new table is not in use yet)", true));
                }
                steps.add(new PlannedStep(
                        table,
                        "backfill partition " + p.name() + " ["
                                + source.keyType()
                                        .display(p.lower(), spec.partitioning().timeZone()) + ", "
                                + source.keyType()
                                        .display(p.upper(), spec.partitioning().timeZone()) + ")",
                        load));
            }
        }
        steps.add(new PlannedStep(
                table,
                "catch up: replay recorded changes by re-reading the current rows, then"
                        + " compare every partition's count and checksum with the original",
                List.of()));
        List<PlannedStatement> cutover = new ArrayList<>();
        cutover.add(newTableLock(sql));
        cutover.add(new PlannedStatement(
                "LOCK TABLE " + table.quoted() + " IN ACCESS EXCLUSIVE MODE",
                "ACCESS EXCLUSIVE on " + table + ", for at most "
                        + spec.cutoverLockTimeout().toMillis() + " ms per attempt, retried up to "
                        + spec.cutoverAttempts() + " times",
                true));
        for (String s : cutoverStatements(sql, source, spec, major)) {
            cutover.add(new PlannedStatement(s, "inside the cutover transaction", true));
        }
        steps.add(new PlannedStep(
                table, "cutover: drain the last changes and swap names in one short transaction", cutover));
        List<PlannedStatement> after = new ArrayList<>();
        for (String s : sql.validateForeignKeys()) {
            after.add(new PlannedStatement(s, "SHARE UPDATE EXCLUSIVE on the referencing table", true));
        }
        steps.add(new PlannedStep(
                table,
                "after the cutover: validate re-pointed foreign keys, register the table"
                        + " for auto-partitioning; keep " + MigrationSql.retiredName(table) + " in sync until finalize",
                after));
        return new Plan(
                steps,
                List.of(
                        "strategy " + spec.strategy() + ": " + strategyNote(spec.strategy()),
                        "about " + source.rowsEstimate() + " rows in " + partitions.size() + " partitions",
                        range.gapNote(
                                connection, source, spec.partitioning(), partitions.size(), spec.skipEmptyPeriods())));
    }

    private Plan planAttach(
            Connection connection, MigrationSpec spec, SourceTable source, MigrationSql sql, int major) {
        TableName table = source.name();
        long cut = cut(connection, source, spec.partitioning());
        AttachStrategy attach = new AttachStrategy(source, sql.newTable().name(), cut);
        List<PlannedStep> steps = new ArrayList<>();
        List<PlannedStatement> prepare = new ArrayList<>();
        for (String s : sql.createNewParent(major >= 17)) {
            prepare.add(new PlannedStatement(s, "none on " + table + " (the new table is not in use yet)", true));
        }
        for (String s : attach.addCheck()) {
            prepare.add(new PlannedStatement(
                    s, "ACCESS EXCLUSIVE on " + table + ", briefly (no scan), for at most" + " lock_timeout", true));
        }
        steps.add(new PlannedStep(
                table,
                "prepare: create " + sql.newTable() + " with partitions from the cut point,"
                        + " and a CHECK that keeps every row of " + table + " below it",
                prepare));
        List<PlannedStatement> prove = new ArrayList<>();
        prove.add(new PlannedStatement(
                attach.validateCheck(),
                "SHARE UPDATE EXCLUSIVE on " + table + " (reads and writes go on; scans the table)",
                true));
        for (String[] index : attach.concurrentIndexes()) {
            prove.add(new PlannedStatement(
                    index[1], "SHARE UPDATE EXCLUSIVE on " + table + " (reads and writes go on)", false));
        }
        steps.add(new PlannedStep(table, "prove: validate the CHECK and build the widened unique keys online", prove));
        List<PlannedStatement> cutover = new ArrayList<>();
        cutover.add(newTableLock(sql));
        cutover.add(new PlannedStatement(
                "LOCK TABLE " + table.quoted() + " IN ACCESS EXCLUSIVE MODE",
                "ACCESS EXCLUSIVE on " + table + ", for at most "
                        + spec.cutoverLockTimeout().toMillis() + " ms per attempt, retried up to "
                        + spec.cutoverAttempts() + " times",
                true));
        for (String s : attach.cutover(sql, spec.keyColumns())) {
            cutover.add(new PlannedStatement(s, "inside the cutover transaction (metadata only)", true));
        }
        steps.add(new PlannedStep(
                table,
                "cutover: " + table + " becomes the legacy partition below "
                        + source.keyType().display(cut, spec.partitioning().timeZone()),
                cutover));
        return new Plan(
                steps,
                List.of(
                        "strategy ATTACH: " + strategyNote(MigrationStrategy.ATTACH),
                        "writes with keys at or after "
                                + source.keyType()
                                        .display(cut, spec.partitioning().timeZone())
                                + " are refused by the CHECK until the cutover: cut over soon after the prepare"));
    }

    /** The cut point: two increments past the slot of the newest key or the current time, whichever is later. */
    private long cut(Connection connection, SourceTable source, AutoPartitionSpec rule) {
        KeyType type = source.keyType();
        Grid grid = PartitionRange.grid(source, rule);
        long[] range = PartitionRange.keyRange(connection, source);
        long position = type.isTime() ? type.fromInstant(clock.instant(), rule.timeZone()) : grid.origin();
        if (range.length > 0) {
            position = Math.max(position, range[1]);
        }
        return grid.lower(grid.slotOf(position) + 2);
    }

    private static String strategyNote(MigrationStrategy strategy) {
        return strategy == MigrationStrategy.COPY
                ? "every row is copied into its own partition while changes are recorded and replayed; needs room"
                        + " for a second copy of the table"
                : "no rows are copied; the table becomes one legacy partition";
    }

    private List<String> cutoverStatements(MigrationSql sql, SourceTable source, MigrationSpec spec, int major) {
        List<String> statements = new ArrayList<>(
                sql.swap(major >= 17 && !source.identityColumns().isEmpty()));
        statements.addAll(sql.repointForeignKeys(source.name(), true, spec.keyColumns()));
        statements.addAll(sql.views());
        statements.addAll(sql.triggers(true));
        statements.addAll(
                sql.dropCapture(TableName.of(source.name().schema(), MigrationSql.retiredName(source.name())), false));
        statements.addAll(sql.capture(source.name(), true));
        return statements;
    }

    // ---------------------------------------------------------------- run (start or resume)

    /** Starts the migration, or resumes it from its recorded phase, up to the cutover (or up to VERIFIED). */
    public MigrationStatus run(Connection connection, MigrationSpec spec) {
        requireOwnTransactions(connection, spec.table());
        return locked(connection, spec.table(), () -> {
            Optional<MigrationRow> existing =
                    store.find(connection, spec.table()).filter(r -> !finished(r));
            MigrationRow row = existing.isPresent() ? existing.get() : prepare(connection, spec);
            if (spec.strategy() != row.strategy()) {
                throw new InvalidSpecException(
                        SpecField.STRATEGY,
                        "The migration of " + spec.table() + " was started with strategy "
                                + row.strategy() + ", not " + spec.strategy()
                                + ". Fix: resume it with the same strategy, or"
                                + " abort it first.");
            }
            SourceTable source = row.phase() == MigrationPhase.CUT_OVER
                    ? null
                    : inventory.read(connection, spec, reader.serverMajor(connection));
            if (row.phase() == MigrationPhase.PREPARED) {
                backfill(connection, row, source, spec);
                row = phase(connection, row, MigrationPhase.BACKFILLED, null);
            }
            if (row.phase() == MigrationPhase.BACKFILLED) {
                catchUpAndVerify(connection, row, source, spec);
                row = phase(connection, row, MigrationPhase.VERIFIED, "ready to cut over");
            }
            if (row.phase() == MigrationPhase.VERIFIED && spec.cutover() && source != null) {
                row = cutover(connection, row, source, spec);
            }
            if (row.phase() == MigrationPhase.CUT_OVER) {
                afterCutover(connection, row);
            }
            return status(connection, row);
        });
    }

    private static boolean finished(MigrationRow row) {
        return row.phase() == MigrationPhase.FINALIZED || row.phase() == MigrationPhase.ABORTED;
    }

    private MigrationRow prepare(Connection connection, MigrationSpec spec) {
        int major = reader.serverMajor(connection);
        SourceTable source = inventory.read(connection, spec, major);
        String newName = MigrationSql.newName(source.name());
        String retiredName = MigrationSql.retiredName(source.name());
        for (String name : List.of(newName, retiredName)) {
            if (reader.relationNames(connection, source.name().schema()).contains(name)) {
                throw new InvalidSpecException(
                        SpecField.TABLE,
                        "Cannot migrate " + source.name() + ": a relation named "
                                + Sql.quote(name)
                                + " already exists in its schema (left by an earlier migration?). Fix:"
                                + " drop or rename it first.");
            }
        }
        long id = store.nextId(connection);
        MigrationSql sql = new MigrationSql(source, store, id, newName, retiredName);
        List<Statement> statements = new ArrayList<>();
        statements.add(Statement.bookkeeping(store.insertSql(
                id, source, newName, retiredName, spec.strategy(), SpecJson.write(spec.partitioning()))));
        for (String s : sql.createNewParent(major >= 17)) {
            statements.add(Statement.ddl(s, "new table"));
        }
        if (spec.strategy() == MigrationStrategy.ATTACH) {
            prepareAttach(connection, spec, source, sql, id, statements);
        } else {
            prepareCopy(connection, spec, source, sql, id, major, statements);
        }
        LOG.info("{}: migration {} prepared; changes are recorded from now on", source.name(), id);
        return store.find(connection, source.name()).orElseThrow();
    }

    private void prepareCopy(
            Connection connection,
            MigrationSpec spec,
            SourceTable source,
            MigrationSql sql,
            long id,
            int major,
            List<Statement> statements) {
        boolean identity = major >= 17 && !source.identityColumns().isEmpty();
        for (String s : sql.capture(source.name(), false)) {
            statements.add(Statement.ddl(s, "SHARE ROW EXCLUSIVE on the table"));
        }
        addSteps(statements, id, "cutover", cutoverStatements(sql, source, spec, major));
        List<String> post = new ArrayList<>(sql.validateForeignKeys());
        // every partition was analyzed when it was loaded; from 18 on, the parent's statistics alone can be gathered
        post.add((major >= 18 ? "ANALYZE ONLY " : "ANALYZE ") + source.name().quoted());
        addSteps(statements, id, "post_cutover", post);
        List<String> undo = new ArrayList<>(sql.unswap(identity));
        undo.addAll(sql.repointForeignKeys(source.name(), false, spec.keyColumns()));
        undo.addAll(sql.views());
        undo.addAll(sql.triggers(false));
        undo.addAll(sql.dropCapture(sql.newTable(), true));
        undo.addAll(sql.capture(source.name(), false));
        addSteps(statements, id, "undo", undo);
        addSteps(statements, id, "post_undo", sql.validateForeignKeys());
        List<String> finish = new ArrayList<>(sql.dropCapture(source.name(), true));
        finish.add("DROP TABLE "
                + TableName.of(source.name().schema(), MigrationSql.retiredName(source.name()))
                        .quoted());
        addSteps(statements, id, "finalize", finish);
        executor().run(connection, List.of(new Unit(true, statements)), "prepare the migration of " + source.name());
        // Planned only now, after the capture trigger committed: every row written before it is visible here,
        // and every row written after it is in the change log.
        List<Statement> partitionRows = new ArrayList<>();
        for (TargetPartition p :
                range.plan(connection, source, spec.partitioning(), Set.of(), spec.skipEmptyPeriods())) {
            partitionRows.add(Statement.bookkeeping(store.partitionSql(id, p)));
        }
        executor().run(connection, List.of(new Unit(true, partitionRows)), "plan the partitions of " + source.name());
    }

    /**
     * Zero copy: the original becomes the legacy partition below a cut point that lies beyond every key written so
     * far (two increments past the current one), and new partitions start at the cut.
     */
    private void prepareAttach(
            Connection connection,
            MigrationSpec spec,
            SourceTable source,
            MigrationSql sql,
            long id,
            List<Statement> statements) {
        AutoPartitionSpec rule = spec.partitioning();
        KeyType type = source.keyType();
        Grid grid = PartitionRange.grid(source, rule);
        long cut = cut(connection, source, rule);
        long cutSlot = grid.slotOf(cut);
        AttachStrategy attach = new AttachStrategy(source, sql.newTable().name(), cut);
        for (String s : attach.addCheck()) {
            statements.add(Statement.ddl(s, "ACCESS EXCLUSIVE on the table, briefly (no scan)"));
        }
        statements.add(Statement.bookkeeping(store.phaseSql(
                id,
                MigrationPhase.PREPARED,
                "legacy partition below " + type.display(cut, rule.timeZone())
                        + "; writes at or above it are refused until the cutover")));
        addSteps(statements, id, "validate", List.of(attach.validateCheck()));
        List<String> indexes = new ArrayList<>();
        for (String[] index : attach.concurrentIndexes()) {
            indexes.add(index[0]);
            indexes.add(index[1]);
        }
        addSteps(statements, id, "indexes", indexes);
        addSteps(statements, id, "cutover", attach.cutover(sql, spec.keyColumns()));
        List<String> post = new ArrayList<>(sql.validateForeignKeys());
        post.add("ANALYZE " + source.name().quoted());
        addSteps(statements, id, "post_cutover", post);
        addSteps(statements, id, "undo", attach.undo(sql));
        addSteps(statements, id, "post_undo", sql.validateForeignKeys());
        addSteps(statements, id, "finalize", attach.finish());
        addSteps(statements, id, "abort", attach.abort());
        PartitionNamer namer =
                new PartitionNamer(rule.namingPattern(), source.name().name(), type, rule.increment());
        Set<String> taken =
                new HashSet<>(reader.relationNames(connection, source.name().schema()));
        for (long slot = cutSlot; slot <= cutSlot + rule.maximumAdvancePartitions(); slot++) {
            if (grid.isEmpty(slot)) {
                continue; // the zone's clocks jump over it
            }
            String name = namer.name(grid.lower(slot), type.isTime() ? grid.lowerLocal(slot) : null, taken::contains);
            taken.add(name);
            statements.add(Statement.bookkeeping(store.partitionSql(
                    id, new TargetPartition(name, grid.lower(slot), grid.upper(slot), "planned", null, 0))));
        }
        executor().run(connection, List.of(new Unit(true, statements)), "prepare the migration of " + source.name());
    }

    private void addSteps(List<Statement> statements, long id, String kind, List<String> sql) {
        for (String s : store.stepsSql(id, kind, sql)) {
            statements.add(Statement.bookkeeping(s));
        }
    }

    // ---------------------------------------------------------------- backfill

    private void backfill(Connection connection, MigrationRow row, @Nullable SourceTable source, MigrationSpec spec) {
        if (source == null) {
            return;
        }
        MigrationSql sql = new MigrationSql(source, store, row.id(), row.newName(), row.retiredName());
        if (row.strategy() == MigrationStrategy.ATTACH) {
            proveLegacy(connection, row);
        }
        List<TargetPartition> pending = new ArrayList<>();
        for (TargetPartition p : store.partitions(connection, row.id())) {
            if (!p.state().equals("attached")) {
                pending.add(0, p); // newest first
            }
        }
        if (row.strategy() == MigrationStrategy.COPY) {
            pending = attachEmpty(connection, source, sql, pending);
        }
        forEachPartition(
                connection,
                row,
                pending,
                spec,
                "load",
                (worker, p) -> loadPartition(worker, row, source, sql, p, spec));
    }

    /**
     * Partitions whose range holds no row of the source (the days between the newest key and now, say) are created
     * and attached in groups, without a copy, a vacuum or a transaction per step: a row written into such a range
     * after this look is in the change log (the capture trigger committed before it), and the replay copies it.
     * Returns the partitions left to load.
     */
    private List<TargetPartition> attachEmpty(
            Connection connection, SourceTable source, MigrationSql sql, List<TargetPartition> pending) {
        Set<String> existing =
                new HashSet<>(reader.relationNames(connection, source.name().schema()));
        List<TargetPartition> fresh = pending.stream()
                .filter(p -> !existing.contains(p.name()))
                .sorted(java.util.Comparator.comparingLong(TargetPartition::lower))
                .toList();
        if (fresh.size() < 2) {
            return pending;
        }
        List<Long> lowers = fresh.stream().map(TargetPartition::lower).toList();
        Set<Integer> holding = new HashSet<>();
        String query = sql.occupiedPartitions(lowers);
        try (var st = connection.createStatement();
                ResultSet rs = st.executeQuery(query)) {
            while (rs.next()) {
                holding.add(rs.getInt(1));
            }
        } catch (SQLException e) {
            throw new StatementFailedException("Cannot find the empty ranges of " + source.name(), query, e);
        }
        List<TargetPartition> empty = new ArrayList<>();
        for (int i = 0; i < fresh.size(); i++) {
            TargetPartition p = fresh.get(i);
            // a key between or above the ranges counts for the range below it: never wrongly empty
            if (!holding.contains(i + 1)) {
                empty.add(p);
            }
        }
        // adding a foreign key locks the referenced table against writes: keep those transactions short
        int group = source.outboundForeignKeys().isEmpty() ? 100 : 10;
        for (int from = 0; from < empty.size(); from += group) {
            List<Statement> statements = new ArrayList<>();
            for (TargetPartition p : empty.subList(from, Math.min(empty.size(), from + group))) {
                statements.add(Statement.ddl(sql.createPartition(p), "new table"));
                for (String s : sql.attach(p)) {
                    if (!s.contains(" DROP CONSTRAINT ")) {
                        statements.add(Statement.ddl(s, "new table"));
                    }
                }
            }
            executor().run(connection, List.of(new Unit(true, statements)), "attach empty partitions");
        }
        if (!empty.isEmpty()) {
            LOG.info("{}: {} partitions without rows created and attached", source.name(), empty.size());
        }
        Set<Long> done = new HashSet<>();
        empty.forEach(p -> done.add(p.lower()));
        return pending.stream().filter(p -> !done.contains(p.lower())).toList();
    }

    /** Work on one partition, on a connection of its own. */
    private interface PartitionWork {
        void run(Connection connection, TargetPartition partition);
    }

    /**
     * Runs the work for every partition, on {@code parallelism} connections at once where the connection source can
     * open more than one; the first failure stops the others.
     */
    private void forEachPartition(
            Connection connection,
            MigrationRow row,
            List<TargetPartition> partitions,
            MigrationSpec spec,
            String what,
            PartitionWork work) {
        int workers = Math.min(spec.parallelism(), partitions.size());
        if (workers <= 1 || connections.shared()) {
            for (TargetPartition p : partitions) {
                work.run(connection, p);
            }
            return;
        }
        java.util.Queue<TargetPartition> queue = new java.util.concurrent.ConcurrentLinkedQueue<>(partitions);
        try {
            onWorkers(workers, row.table(), "work on the partitions (" + what + ")", (worker, share) -> {
                for (TargetPartition p = queue.poll(); p != null; p = queue.poll()) {
                    work.run(worker, p);
                }
                return 0L;
            });
        } finally {
            queue.clear(); // after a failure the other workers stop at their next partition
        }
    }

    /** Work of one of {@code workers} connections; {@code share} numbers it from 0. */
    private interface WorkerTask {
        long run(Connection worker, int share);
    }

    /**
     * Runs a task on {@code workers} connections of their own at once (auto-commit on), and adds up what they return.
     * The first failure met, in worker order, is thrown without waiting for the later workers.
     */
    private long onWorkers(int workers, TableName table, String what, WorkerTask task) {
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(workers, r -> {
            Thread thread = new Thread(r, "autopartition-migration");
            thread.setDaemon(true);
            return thread;
        });
        List<java.util.concurrent.Future<Long>> futures = new ArrayList<>();
        for (int i = 0; i < workers; i++) {
            int share = i;
            futures.add(pool.submit(() -> {
                Connection worker = connections.open();
                try {
                    worker.setAutoCommit(true);
                    return task.run(worker, share);
                } finally {
                    connections.release(worker);
                }
            }));
        }
        pool.shutdown();
        long total = 0;
        try {
            for (java.util.concurrent.Future<Long> future : futures) {
                total += future.get();
            }
            return total;
        } catch (java.util.concurrent.ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof AutoPartitionException failure) {
                throw failure;
            }
            throw new AutoPartitionException(
                    "The migration of " + table + " failed to " + what + ": "
                            + (cause == null ? e.getMessage() : cause.getMessage()),
                    cause == null ? e : cause);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AutoPartitionException("Interrupted while the migration of " + table + " was to " + what, e);
        }
    }

    /** Validates the legacy CHECK (a scan under SHARE UPDATE EXCLUSIVE) and builds the unique indexes online. */
    private void proveLegacy(Connection connection, MigrationRow row) {
        for (String s : store.steps(connection, row.id(), "validate")) {
            executor()
                    .run(
                            connection,
                            List.of(Unit.transaction(Statement.ddl(s, "SHARE UPDATE EXCLUSIVE"))),
                            "validate the legacy CHECK of " + row.table());
        }
        List<String> indexes = store.steps(connection, row.id(), "indexes");
        for (int i = 0; i + 1 < indexes.size(); i += 2) {
            TableName index = TableName.of(row.table().schema(), indexes.get(i));
            Boolean valid = indexValid(connection, index);
            if (Boolean.TRUE.equals(valid)) {
                continue;
            }
            if (valid != null) { // left invalid by an interrupted build
                executor()
                        .run(
                                connection,
                                List.of(Unit.autocommit(Statement.ddl(
                                        "DROP INDEX CONCURRENTLY " + index.quoted(), "SHARE UPDATE EXCLUSIVE"))),
                                "drop the invalid index " + index);
            }
            executor()
                    .run(
                            connection,
                            List.of(Unit.autocommit(Statement.ddl(indexes.get(i + 1), "SHARE UPDATE EXCLUSIVE"))),
                            "build " + index + " online");
        }
    }

    private static @Nullable Boolean indexValid(Connection connection, TableName index) {
        String sql = "SELECT i.indisvalid FROM pg_catalog.pg_index i WHERE i.indexrelid = to_regclass(?)";
        try (PreparedStatement ps = connection.prepareStatement(sql)) {
            ps.setString(1, index.quoted());
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getBoolean(1) : null;
            }
        } catch (SQLException e) {
            throw new StatementFailedException("Cannot look up index " + index, sql, e);
        }
    }

    private void loadPartition(
            Connection connection,
            MigrationRow row,
            SourceTable source,
            MigrationSql sql,
            TargetPartition p,
            MigrationSpec spec) {
        TableName partition = TableName.of(source.name().schema(), p.name());
        boolean exists = reader.relationNames(connection, partition.schema()).contains(partition.name());
        TargetPartition current = p;
        if (!exists) {
            executor()
                    .run(
                            connection,
                            List.of(Unit.transaction(
                                    Statement.ddl(sql.createPartition(p), "new table"),
                                    Statement.ddl(sql.boundsCheck(p), "new table"),
                                    Statement.bookkeeping(
                                            "UPDATE " + store.partitions() + " SET state = 'loading', cursor_values ="
                                                    + " NULL, rows_copied = 0 WHERE migration_id = " + row.id()
                                                    + " AND lower_bound = "
                                                    + p.lower()))),
                            "create partition " + partition);
            current = new TargetPartition(p.name(), p.lower(), p.upper(), "loading", null, 0);
        }
        if (spec.strategy() == MigrationStrategy.COPY) {
            copy(connection, row, sql, current, spec);
        }
        // PostgreSQL 18 takes ACCESS EXCLUSIVE on the referenced table when ATTACH adopts a foreign key the partition
        // already has (seen with a reader of the referenced table: the attach waited behind it); when ATTACH adds the
        // key itself it takes only SHARE ROW EXCLUSIVE, so there the key is left to ATTACH.
        boolean ownKeys = reader.serverMajor(connection) < 18;
        synchronized (parentLocks) {
            for (String fk : ownKeys ? sql.partitionForeignKeys(current) : List.<String>of()) {
                if (fk.contains(" VALIDATE CONSTRAINT ") || !constraintExists(connection, partition, fk)) {
                    executor()
                            .run(
                                    connection,
                                    List.of(Unit.transaction(Statement.ddl(fk, "partition"))),
                                    "prove the foreign keys of " + partition);
                }
            }
        }
        // Statistics before the partition joins the parent: without them the planner expects thousands of rows per
        // key and replays every logged change by scanning all partitions, the cutover's replay included. The vacuum
        // also leaves autovacuum nothing to do on it, so it does not hold locks the cutover needs.
        executor()
                .run(
                        connection,
                        List.of(Unit.autocommit(Statement.ddl(sql.vacuum(current), "partition"))),
                        "vacuum and analyze " + partition);
        List<Statement> attach = new ArrayList<>();
        for (String s : sql.attach(current)) {
            attach.add(Statement.ddl(s, "new table"));
        }
        synchronized (parentLocks) {
            executor().run(connection, List.of(new Unit(true, attach)), "attach " + partition);
        }
        LOG.info("{}: partition {} loaded and attached", source.name(), partition);
    }

    private static boolean constraintExists(Connection connection, TableName partition, String addStatement) {
        String name = addStatement.replaceFirst("^.* ADD CONSTRAINT (\"(?:[^\"]|\"\")*\").*$", "$1");
        String sql = "SELECT 1 FROM pg_catalog.pg_constraint WHERE conrelid = ?::regclass AND quote_ident(conname) ="
                + " ? OR (conrelid = ?::regclass AND '\"' || replace(conname, '\"', '\"\"') || '\"' = ?)";
        try (PreparedStatement ps = connection.prepareStatement(sql)) {
            ps.setString(1, partition.quoted());
            ps.setString(2, name);
            ps.setString(3, partition.quoted());
            ps.setString(4, name);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        } catch (SQLException e) {
            throw new StatementFailedException("Cannot look up a constraint of " + partition, sql, e);
        }
    }

    /**
     * Copies a partition's range in slices of the key, each committed with the slice's upper end as the cursor. The
     * slice width adapts to the rows each slice held, so a batch stays near {@code batchSize} rows however the data is
     * spread. Without an index that starts with the key, each slice would scan the whole table, so the range is copied
     * in one statement instead.
     */
    private void copy(
            Connection connection, MigrationRow row, MigrationSql sql, TargetPartition p, MigrationSpec spec) {
        List<String> cursor = p.cursor();
        long from = cursor == null ? p.lower() : Long.parseLong(cursor.get(0));
        long width = keyIndexExists(connection, sql)
                ? Math.max(1, (p.upper() - p.lower()) / INITIAL_SLICES)
                : p.upper() - p.lower();
        while (from < p.upper()) {
            long to = p.upper() - from <= width ? p.upper() : from + width;
            String slice = sql.copySlice(p, from, to);
            long copied;
            try {
                copied = Transactions.run(connection, () -> {
                    long count;
                    try (var st = connection.createStatement()) {
                        count = st.executeUpdate(slice);
                    }
                    store.recordBatch(connection, row.id(), p, List.of(Long.toString(to)), count);
                    return count;
                });
            } catch (SQLException e) {
                throw new StatementFailedException("Cannot copy a batch into " + p.name(), slice, e);
            }
            from = to;
            width = nextWidth(width, copied, spec.batchSize());
            if (copied > 0) {
                pause(spec.pause());
            }
        }
    }

    /** The next slice's width: scaled toward {@code batchSize} rows, by at most a factor of four each way. */
    static long nextWidth(long width, long copied, int batchSize) {
        double scaled = copied == 0 ? width * 4.0 : (double) width * batchSize / copied;
        double bounded = Math.max(width / 4.0, Math.min(width * 4.0, scaled));
        return Math.max(1, bounded >= Long.MAX_VALUE ? Long.MAX_VALUE : (long) bounded);
    }

    private static boolean keyIndexExists(Connection connection, MigrationSql sql) {
        try (var st = connection.createStatement();
                ResultSet rs = st.executeQuery(sql.keyIndexExists())) {
            rs.next();
            return rs.getBoolean(1);
        } catch (SQLException e) {
            throw new StatementFailedException(
                    "Cannot look for an index on the partition key", sql.keyIndexExists(), e);
        }
    }

    private static void pause(Duration pause) {
        if (pause.isZero()) {
            return;
        }
        try {
            Thread.sleep(pause.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AutoPartitionException("Interrupted while copying", e);
        }
    }

    // ---------------------------------------------------------------- catch up and verify

    private void catchUpAndVerify(
            Connection connection, MigrationRow row, @Nullable SourceTable source, MigrationSpec spec) {
        if (source == null) {
            return;
        }
        if (row.strategy() == MigrationStrategy.ATTACH) {
            return; // the rows never move: the validated CHECK is the proof
        }
        MigrationSql sql = new MigrationSql(source, store, row.id(), row.newName(), row.retiredName());
        ensurePartitions(connection, row, source, sql, spec);
        replayForward(connection, row, source, sql, spec);
        boolean recordHash = recordHashWorks(connection, sql);
        // Runs of contiguous partitions are compared in one scan each, so empty partitions cost nothing; the runs
        // are compared in parallel, and repairs (which replay the shared log) run one at a time afterwards.
        List<TargetPartition> partitions = store.partitions(connection, row.id());
        List<List<TargetPartition>> chunks = chunks(partitions);
        List<TargetPartition> differing = java.util.Collections.synchronizedList(new ArrayList<>());
        List<TargetPartition> heads = chunks.stream().map(c -> c.get(0)).toList();
        Map<Long, List<TargetPartition>> byHead = new java.util.HashMap<>();
        chunks.forEach(c -> byHead.put(c.get(0).lower(), c));
        forEachPartition(connection, row, heads, spec, "verify", (worker, head) -> {
            differing.addAll(
                    differingIn(worker, source, sql, byHead.getOrDefault(head.lower(), List.of(head)), recordHash));
        });
        boolean keys = logHasKeys(connection, sql);
        for (TargetPartition p : differing) {
            verify(connection, row, source, sql, p, recordHash, spec, keys);
        }
    }

    /** Rows per verification run: enough that per-statement costs vanish, few enough to compare runs in parallel. */
    private static final long CHUNK_ROWS = 200_000;

    private static final int CHUNK_PARTITIONS = 400;

    /** Runs of contiguous partitions of about {@link #CHUNK_ROWS} rows (by the rows the backfill copied). */
    static List<List<TargetPartition>> chunks(List<TargetPartition> partitions) {
        List<List<TargetPartition>> chunks = new ArrayList<>();
        List<TargetPartition> current = new ArrayList<>();
        long rows = 0;
        for (TargetPartition p : partitions) {
            boolean contiguous =
                    current.isEmpty() || current.get(current.size() - 1).upper() == p.lower();
            if (!current.isEmpty()
                    && (!contiguous || rows + p.rowsCopied() > CHUNK_ROWS || current.size() >= CHUNK_PARTITIONS)) {
                chunks.add(current);
                current = new ArrayList<>();
                rows = 0;
            }
            current.add(p);
            rows += p.rowsCopied();
        }
        if (!current.isEmpty()) {
            chunks.add(current);
        }
        return chunks;
    }

    /**
     * The partitions of a run whose count or checksum differs from the original's range, both read in one
     * REPEATABLE READ snapshot; keys with changes still in the log are left out on both sides.
     */
    private List<TargetPartition> differingIn(
            Connection connection,
            SourceTable source,
            MigrationSql sql,
            List<TargetPartition> run,
            boolean recordHash) {
        List<Long> lowers = run.stream().map(TargetPartition::lower).toList();
        long upper = run.get(run.size() - 1).upper();
        String original = sql.chunkChecksums(source.name(), true, lowers, upper, recordHash);
        String copy = sql.chunkChecksums(sql.newTable(), false, lowers, upper, recordHash);
        List<Map<Integer, String>> sides = new ArrayList<>();
        try {
            Transactions.run(connection, () -> {
                try (var st = connection.createStatement()) {
                    st.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ");
                    for (String query : List.of(original, copy)) {
                        Map<Integer, String> side = new java.util.HashMap<>();
                        try (ResultSet rs = st.executeQuery(query)) {
                            while (rs.next()) {
                                side.put(rs.getInt(1), rs.getLong(2) + "/" + rs.getString(3));
                            }
                        }
                        sides.add(side);
                    }
                }
                return Boolean.TRUE;
            });
        } catch (SQLException e) {
            throw new StatementFailedException("Cannot compare " + sql.newTable() + " with " + source.name(), copy, e);
        }
        List<TargetPartition> differing = new ArrayList<>();
        for (int i = 0; i < run.size(); i++) {
            String a = sides.get(0).getOrDefault(i + 1, "0/0");
            String b = sides.get(1).getOrDefault(i + 1, "0/0");
            if (!a.equals(b)) {
                LOG.debug(
                        "{}: {} has {}, the original's range {}",
                        source.name(),
                        run.get(i).name(),
                        b,
                        a);
                differing.add(run.get(i));
            }
        }
        return differing;
    }

    /** Partitions for keys written since the plan (the clock moved, or rows came in out of range). */
    private void ensurePartitions(
            Connection connection, MigrationRow row, SourceTable source, MigrationSql sql, MigrationSpec spec) {
        Set<Long> known = new HashSet<>();
        store.partitions(connection, row.id()).forEach(p -> known.add(p.lower()));
        List<TargetPartition> extra = range.plan(connection, source, spec.partitioning(), known, false);
        for (TargetPartition p : extra) {
            executor()
                    .run(
                            connection,
                            List.of(Unit.transaction(Statement.bookkeeping(store.partitionSql(row.id(), p)))),
                            "plan partition " + p.name());
            loadPartition(connection, row, source, sql, p, spec);
        }
    }

    /**
     * Brings the backlog as close to zero as the writers allow, so that little is left for the cutover's lock. The
     * log is vacuumed first: every replayed change left a dead entry in it, and the replay under the lock would
     * otherwise read past all of them.
     */
    private void catchUpBeforeLock(
            Connection connection, MigrationRow row, SourceTable source, MigrationSql sql, MigrationSpec spec) {
        executor()
                .run(
                        connection,
                        List.of(Unit.autocommit(Statement.ddl(
                                "VACUUM (ANALYZE) " + store.log(row.id(), false).quoted(), "log"))),
                        "vacuum the change log of " + source.name());
        long left = Long.MAX_VALUE;
        // a round ends when a pass no longer shrinks the backlog; busy writers may let a later round get further
        for (int round = 0; round < CATCH_UP_ROUNDS && left > CUTOVER_BACKLOG; round++) {
            replayForward(connection, row, source, sql, spec);
            left = store.backlog(connection, row.id(), false);
            LOG.debug("{}: {} recorded changes wait after catch-up round {}", source.name(), left, round + 1);
        }
        if (left > CUTOVER_BACKLOG) {
            LOG.warn(
                    "{}: {} recorded changes are still waiting; writers are outpacing the replay, so the cutover"
                            + " will hold its lock while it replays them",
                    source.name(),
                    left);
        }
    }

    /**
     * Replays until the backlog is empty or stops shrinking. One pass ends at the log's newest entry when it started,
     * so writers that kept writing during a long pass leave a backlog: passes repeat while the backlog shrinks,
     * because whatever is left is replayed under the cutover's lock. A backlog that does not shrink is reported in the
     * migration's message (status, progress, health), with the rates and what to do.
     */
    private long replayForward(
            Connection connection, MigrationRow row, SourceTable source, MigrationSql sql, MigrationSpec spec) {
        long replayed = 0;
        long before = store.backlog(connection, row.id(), false);
        for (int pass = 0; pass < MAX_REPLAY_PASSES; pass++) {
            long began = System.nanoTime();
            long done = replay(connection, row, sql, source.name(), spec.parallelism());
            replayed += done;
            long after = store.backlog(connection, row.id(), false);
            double seconds = Math.max(0.001, (System.nanoTime() - began) / 1e9);
            if (after < before || after <= CUTOVER_BACKLOG) {
                store.clearBehind(connection, row);
            }
            if (after == 0) {
                break;
            }
            if (after >= before && after > CUTOVER_BACKLOG) {
                String message = String.format(
                        java.util.Locale.ROOT,
                        "catch-up is not keeping up: %d recorded changes wait (%d before the last pass); the replay"
                                + " applied %.0f changes/s while writers added %.0f/s. Fix: lower the write rate"
                                + " for a while, raise parallelism (now %d), or stop at VERIFIED (cutover=false) and"
                                + " cut over in a quieter hour; the migration keeps trying",
                        after,
                        before,
                        done / seconds,
                        (after - before + done) / seconds,
                        spec.parallelism());
                LOG.warn("{}: {}", source.name(), message);
                store.recordBehind(connection, row, message);
                break;
            }
            before = after;
        }
        return replayed;
    }

    /**
     * Replays the forward change log in batches, each in its own transaction, until every entry that existed when it
     * started is replayed (writers that keep writing cannot keep it busy forever). On a connection of its own it uses
     * {@code workers} connections, each replaying the entries of its share of the primary keys. Returns how many
     * entries it replayed.
     */
    private long replay(Connection connection, MigrationRow row, MigrationSql sql, TableName from, int workers) {
        TableName log = store.log(row.id(), false);
        if (!logHasKeys(connection, sql)) {
            return legacyReplay(connection, row, sql, from);
        }
        long ceiling = maxLogId(connection, log);
        // only attached partitions can hold rows; a key between them maps to a neighbour, a harmless extra delete
        List<TargetPartition> partitions = store.partitions(connection, row.id()).stream()
                .filter(p -> p.state().equals("attached"))
                .toList();
        List<Long> lowers = partitions.stream().map(TargetPartition::lower).toList();
        List<String> names = partitions.stream().map(TargetPartition::name).toList();
        if (lowers.isEmpty()) {
            return 0;
        }
        boolean own;
        try {
            own = connection.getAutoCommit();
        } catch (SQLException e) {
            throw new StatementFailedException("Cannot read the connection's auto-commit mode", "(getAutoCommit)", e);
        }
        // connections of their own pay off only for a backlog of several batches; a small one (the catch-up just
        // before the cutover's lock, retried after each attempt) is replayed at once on this connection
        if (workers <= 1
                || !own
                || connections.shared()
                || !store.backlogAbove(connection, row.id(), false, 2L * REPLAY_BATCH)) {
            return replayShare(connection, row, sql, log, ceiling, lowers, names, 0, 1);
        }
        return onWorkers(
                workers,
                row.table(),
                "replay the changes recorded for it",
                (worker, share) -> replayShare(worker, row, sql, log, ceiling, lowers, names, share, workers));
    }

    /**
     * Replays one worker's share of the log in batches. A batch, in one REPEATABLE READ snapshot: read the entries
     * with the partitions of their old key, their new key and the source row's current key; delete the keys from
     * exactly those partitions (one statement per partition, sent together); copy the current rows through the parent
     * (routed to their partitions); remove the entries. The work per entry is a few index probes, whatever the number
     * of partitions. docs/how-it-works.md has the argument for why no row is missed.
     */
    private long replayShare(
            Connection connection,
            MigrationRow row,
            MigrationSql sql,
            TableName log,
            long ceiling,
            List<Long> lowers,
            List<String> names,
            int share,
            int shares) {
        String pick = sql.replayBatch(ceiling, REPLAY_BATCH, lowers, share, shares);
        long replayed = 0;
        while (true) {
            try {
                boolean own = connection.getAutoCommit();
                long picked = Transactions.run(connection, () -> {
                    java.util.TreeMap<Integer, List<Long>> byPartition = new java.util.TreeMap<>();
                    List<Long> all = new ArrayList<>();
                    try (var st = connection.createStatement()) {
                        if (own) {
                            st.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ");
                        }
                        indexPlansOnly(st);
                        try (ResultSet rs = st.executeQuery(pick)) {
                            while (rs.next()) {
                                long logId = rs.getLong(1);
                                all.add(logId);
                                Set<Integer> targets = new HashSet<>(3);
                                for (int column = 2; column <= 4; column++) {
                                    int position = rs.getInt(column);
                                    if (!rs.wasNull() && position > 0) {
                                        targets.add(position);
                                    }
                                }
                                for (int position : targets) {
                                    byPartition
                                            .computeIfAbsent(position, k -> new ArrayList<>())
                                            .add(logId);
                                }
                            }
                        }
                        if (all.isEmpty()) {
                            return 0L;
                        }
                        for (Map.Entry<Integer, List<Long>> e : byPartition.entrySet()) {
                            st.addBatch(sql.replayDelete(names.get(e.getKey() - 1), idArray(e.getValue())));
                        }
                        st.executeBatch();
                        for (String s : sql.replayCopy(idArray(all))) {
                            st.executeUpdate(s);
                        }
                    }
                    if (!own) { // inside the cutover: counted with the work
                        store.add(connection, row.id(), "rows_replayed", all.size());
                    }
                    return (long) all.size();
                });
                if (picked == 0) {
                    return replayed;
                }
                if (own) {
                    // counted after the commit: parallel workers in REPEATABLE READ would otherwise conflict on the
                    // migration's row; a count lost to a crash is only a count
                    store.add(connection, row.id(), "rows_replayed", picked);
                }
                replayed += picked;
            } catch (SQLException e) {
                throw new StatementFailedException(
                        "Cannot replay the changes recorded for " + row.table(), "replay of " + log, e);
            }
        }
    }

    private static String idArray(List<Long> ids) {
        StringBuilder text = new StringBuilder("'{");
        for (int i = 0; i < ids.size(); i++) {
            if (i > 0) {
                text.append(',');
            }
            text.append(ids.get(i));
        }
        return text.append("}'::bigint[]").toString();
    }

    /** Whether the forward log records partition keys; a migration prepared by an older version has a log without. */
    private static boolean logHasKeys(Connection connection, MigrationSql sql) {
        try (var st = connection.createStatement();
                ResultSet rs = st.executeQuery(sql.logHasKeys(false))) {
            rs.next();
            return rs.getBoolean(1);
        } catch (SQLException e) {
            throw new StatementFailedException("Cannot read the shape of the change log", sql.logHasKeys(false), e);
        }
    }

    /**
     * The replay of a log without partition keys (a migration prepared by an older version, resumed by this one):
     * correct, but each logged key probes every partition.
     */
    private long legacyReplay(Connection connection, MigrationRow row, MigrationSql sql, TableName from) {
        TableName log = store.log(row.id(), false);
        long ceiling = maxLogId(connection, log);
        String pick = "SELECT coalesce(array_agg(log_id), '{}') FROM (SELECT log_id FROM " + log.quoted()
                + " WHERE log_id <= " + ceiling + " ORDER BY log_id LIMIT " + REPLAY_BATCH + ") l";
        long replayed = 0;
        while (store.backlogAbove(connection, row.id(), false, 0)) {
            try {
                long picked = Transactions.run(connection, () -> {
                    String ids;
                    try (var st = connection.createStatement();
                            ResultSet rs = st.executeQuery(pick)) {
                        rs.next();
                        ids = rs.getString(1);
                    }
                    if (ids.equals("{}")) {
                        return 0L;
                    }
                    long count = 0;
                    try (var st = connection.createStatement()) {
                        indexPlansOnly(st);
                        for (String s :
                                sql.legacyReplay(from, true, row.newTable(), false, "'" + ids + "'::bigint[]")) {
                            count = st.executeUpdate(s);
                        }
                    }
                    store.add(connection, row.id(), "rows_replayed", count);
                    return count;
                });
                if (picked == 0) {
                    break;
                }
                replayed += picked;
            } catch (SQLException e) {
                throw new StatementFailedException(
                        "Cannot replay the changes recorded for " + row.table(), "replay of " + log, e);
            }
        }
        return replayed;
    }

    /**
     * Replays look rows up by key. Past a few hundred keys the planner's estimate favours one scan of every partition
     * over index probes (seconds at ten million rows, where the probes take milliseconds), and under the cutover's
     * lock that would be seconds of blocked writers; for the rest of the transaction it may only probe.
     */
    private static void indexPlansOnly(java.sql.Statement st) throws SQLException {
        st.execute("SET LOCAL enable_seqscan = off");
        st.execute("SET LOCAL enable_hashjoin = off");
        st.execute("SET LOCAL enable_mergejoin = off");
    }

    private static long maxLogId(Connection connection, TableName log) {
        String sql = "SELECT coalesce(max(log_id), 0) FROM " + log.quoted();
        try (var st = connection.createStatement();
                ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        } catch (SQLException e) {
            throw new StatementFailedException("Cannot read the change log", sql, e);
        }
    }

    /**
     * Whether a partition's count and checksum equal those of the original's range, in one snapshot; keys with
     * changes still in the log are left out on both sides.
     */
    private boolean matches(
            Connection connection, SourceTable source, MigrationSql sql, TargetPartition p, boolean recordHash) {
        TableName partition = TableName.of(source.name().schema(), p.name());
        String[] results = new String[2];
        try {
            Transactions.run(connection, () -> {
                try (var st = connection.createStatement()) {
                    st.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ");
                    results[0] = summary(st, sql.checksum(source.name(), true, p, recordHash));
                    results[1] = summary(st, sql.checksum(partition, false, p, recordHash));
                }
                return Boolean.TRUE;
            });
        } catch (SQLException e) {
            throw new StatementFailedException(
                    "Cannot compare " + partition + " with " + source.name(),
                    sql.checksum(partition, false, p, recordHash),
                    e);
        }
        if (!results[0].equals(results[1])) {
            LOG.debug("{}: {} has {}, the original's range {}", source.name(), partition, results[1], results[0]);
            return false;
        }
        return true;
    }

    /** Whether rows can be hashed as records (every column type has a hash function), which is much faster. */
    private static boolean recordHashWorks(Connection connection, MigrationSql sql) {
        try {
            return Transactions.run(connection, () -> {
                try (var st = connection.createStatement()) {
                    st.executeQuery(sql.recordHashProbe()).close();
                    return Boolean.TRUE;
                }
            });
        } catch (SQLException e) {
            return false;
        }
    }

    /** Compares a partition with the original's range; differences are queued, replayed and compared again. */
    private void verify(
            Connection connection,
            MigrationRow row,
            SourceTable source,
            MigrationSql sql,
            TargetPartition p,
            boolean recordHash,
            MigrationSpec spec,
            boolean keys) {
        TableName partition = TableName.of(source.name().schema(), p.name());
        for (int round = 1; round <= 5; round++) {
            if (matches(connection, source, sql, p, recordHash)) {
                return;
            }
            LOG.info("{}: {} differs from the original; re-copying the differing rows", source.name(), partition);
            try {
                Transactions.run(connection, () -> {
                    try (var st = connection.createStatement()) {
                        return st.executeUpdate(sql.queueDifferences(p, keys));
                    }
                });
            } catch (SQLException e) {
                throw new StatementFailedException(
                        "Cannot queue the differences of " + partition, sql.queueDifferences(p, keys), e);
            }
            replayForward(connection, row, source, sql, spec);
        }
        throw new AutoPartitionException(partition + " still differs from " + source.name() + " after 5 rounds of"
                + " repair; the migration stays before its cutover. Fix: look for writes that bypass the capture"
                + " trigger (session_replication_role = replica, disabled triggers), then run the migration again.");
    }

    private static String summary(java.sql.Statement st, String sql) throws SQLException {
        try (ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1) + "/" + rs.getString(2);
        }
    }

    // ---------------------------------------------------------------- cutover

    /** Cuts over a migration that is verified (resuming it first if needed). */
    public MigrationStatus cutover(Connection connection, TableName table) {
        requireOwnTransactions(connection, table);
        return locked(connection, table, () -> {
            MigrationRow row = unfinished(connection, table);
            if (row.phase() == MigrationPhase.CUT_OVER) {
                afterCutover(connection, row);
                return status(connection, row);
            }
            if (row.phase() != MigrationPhase.VERIFIED) {
                throw new InvalidSpecException("The migration of " + table + " is " + row.phase() + ", not yet"
                        + " verified. Fix: run migrateToPartitioned again to finish the backfill first.");
            }
            MigrationSpec spec = storedSpec(connection, row);
            SourceTable source = inventory.read(connection, spec, reader.serverMajor(connection));
            MigrationRow done = cutover(connection, row, source, spec);
            afterCutover(connection, done);
            return status(connection, done);
        });
    }

    private MigrationSpec storedSpec(Connection connection, MigrationRow row) {
        AutoPartitionSpec rule = SpecJson.read(connection, store, row.id(), row.table());
        return MigrationSpec.builder(rule).strategy(row.strategy()).build();
    }

    private MigrationRow cutover(Connection connection, MigrationRow row, SourceTable source, MigrationSpec spec) {
        MigrationSql sql = new MigrationSql(source, store, row.id(), row.newName(), row.retiredName());
        List<String> statements = store.steps(connection, row.id(), "cutover");
        LockTimeoutException last = null;
        boolean copy = row.strategy() == MigrationStrategy.COPY;
        for (int attempt = 1; attempt <= spec.cutoverAttempts(); attempt++) {
            if (copy) {
                ensurePartitions(connection, row, source, sql, spec);
                catchUpBeforeLock(connection, row, source, sql, spec);
            }
            try {
                double lockMillis = cutoverOnce(connection, row, source, sql, statements, spec);
                executor()
                        .run(
                                connection,
                                List.of(Unit.transaction(
                                        Statement.bookkeeping(store.cutoverSql(row.id(), lockMillis)))),
                                "record the cutover");
                LOG.info(
                        "{}: cut over on attempt {}; the table was locked for {} ms",
                        source.name(),
                        attempt,
                        String.format(java.util.Locale.ROOT, "%.1f", lockMillis));
                return store.find(connection, source.name()).orElseThrow();
            } catch (LockTimeoutException e) {
                last = e;
                recordAttempt(connection, row, attempt, spec, blockers(connection, source.name()));
                sleepBackoff(attempt);
            }
        }
        throw new LockTimeoutException(
                "The cutover of " + source.name() + " did not get its lock within "
                        + spec.cutoverLockTimeout().toMillis() + " ms on any of " + spec.cutoverAttempts()
                        + " attempts; "
                        + blockers(connection, source.name())
                        + ". The migration stays VERIFIED and keeps recording changes."
                        + " Fix: end the blocking transactions, then run the migration (or cutover) again.",
                last == null ? new SQLException("no attempt") : last);
    }

    private double cutoverOnce(
            Connection connection,
            MigrationRow row,
            SourceTable source,
            MigrationSql sql,
            List<String> statements,
            MigrationSpec spec) {
        String current = "LOCK TABLE " + source.name().quoted() + " IN ACCESS EXCLUSIVE MODE";
        try {
            connection.setAutoCommit(false);
            long locked;
            try (var st = connection.createStatement()) {
                st.execute("SET LOCAL statement_timeout = '30s'");
                // The new table and its partitions first, while nothing waits behind us: the application does not
                // use them yet, but autovacuum may, and it yields to a waiting lock only after deadlock_timeout.
                st.execute("SET LOCAL lock_timeout = '" + NEW_TABLE_LOCK_TIMEOUT.toMillis() + "ms'");
                st.execute("LOCK TABLE " + row.newTable().quoted() + " IN ACCESS EXCLUSIVE MODE");
                st.execute(
                        "SET LOCAL lock_timeout = '" + spec.cutoverLockTimeout().toMillis() + "ms'");
                // Safe without waiting for the flush: the application's first commit after ours flushes the WAL
                // up to it, and a crash before that loses the whole cutover, never part of it.
                st.execute("SET LOCAL synchronous_commit = off");
                // Tables whose foreign keys are re-pointed are locked first: a writer of such a table checks its
                // key against this one, so taking this table first and that one later would deadlock with it.
                for (String referencing : referencingTables(source)) {
                    st.execute("LOCK TABLE " + referencing + " IN SHARE ROW EXCLUSIVE MODE");
                }
                st.execute(current);
                locked = System.nanoTime();
                if (row.strategy() == MigrationStrategy.COPY) {
                    // writers wait for the lock now, so one pass empties the log
                    long replayed = replay(connection, row, sql, source.name(), 1);
                    LOG.info(
                            "{}: replayed {} recorded changes under the cutover lock in {} ms",
                            source.name(),
                            replayed,
                            (System.nanoTime() - locked) / 1e6);
                }
                for (String s : statements) {
                    current = s;
                    long began = System.nanoTime();
                    st.execute(s);
                    LOG.debug(
                            "{}: {} ms under the cutover lock: {}",
                            source.name(),
                            (System.nanoTime() - began) / 1e6,
                            s);
                }
                current = store.phaseSql(
                        row.id(), MigrationPhase.CUT_OVER, "cut over; undo is possible until" + " finalize");
                st.execute(current);
                long committing = System.nanoTime();
                connection.commit();
                LOG.debug("{}: {} ms to commit the cutover", source.name(), (System.nanoTime() - committing) / 1e6);
            }
            return (System.nanoTime() - locked) / 1e6;
        } catch (SQLException e) {
            rollback(connection);
            if ("55P03".equals(e.getSQLState())) {
                throw new LockTimeoutException("cutover lock not granted: " + e.getMessage(), e);
            }
            throw new StatementFailedException(
                    "The cutover of " + source.name() + " failed and was rolled back", current, e);
        } finally {
            autocommit(connection);
        }
    }

    private static PlannedStatement newTableLock(MigrationSql sql) {
        return new PlannedStatement(
                "LOCK TABLE " + sql.newTable().quoted() + " IN ACCESS EXCLUSIVE MODE",
                "ACCESS EXCLUSIVE on the new table and its partitions, not yet in use (waits up to "
                        + NEW_TABLE_LOCK_TIMEOUT.toMillis() + " ms for autovacuum)",
                true);
    }

    private static List<String> referencingTables(SourceTable source) {
        return source.inboundForeignKeys().stream()
                .map(fk -> fk.referencing().quoted())
                .distinct()
                .sorted()
                .toList();
    }

    private void recordAttempt(
            Connection connection, MigrationRow row, int attempt, MigrationSpec spec, String blockers) {
        try {
            Transactions.run(connection, () -> {
                store.add(connection, row.id(), "cutover_attempts", 1);
                try (var st = connection.createStatement()) {
                    st.execute(store.phaseSql(
                            row.id(),
                            MigrationPhase.VERIFIED,
                            "cutover attempt " + attempt + " of " + spec.cutoverAttempts() + " did not get its lock: "
                                    + blockers));
                }
                return Boolean.TRUE;
            });
        } catch (SQLException e) {
            throw new StatementFailedException("Cannot record a cutover attempt", "(update)", e);
        }
    }

    private static String blockers(Connection connection, TableName table) {
        String sql = """
                SELECT coalesce(string_agg(format('pid %s (%s, %s, for %s s)', a.pid, l.mode, a.state,
                       round(extract(epoch FROM now() - coalesce(a.xact_start, a.query_start)))), '; '),
                       'no blocking session found now')
                  FROM pg_catalog.pg_locks l JOIN pg_catalog.pg_stat_activity a ON a.pid = l.pid
                 WHERE l.relation = to_regclass(?) AND l.granted AND l.pid <> pg_backend_pid()""";
        try (PreparedStatement ps = connection.prepareStatement(sql)) {
            ps.setString(1, table.quoted());
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return "held by " + rs.getString(1);
            }
        } catch (SQLException e) {
            return "blockers unknown (" + e.getMessage() + ")";
        }
    }

    private static void sleepBackoff(int attempt) {
        long cap = Math.min(2_000, 50L << Math.min(attempt, 6));
        try {
            Thread.sleep(ThreadLocalRandom.current().nextLong(cap / 2, cap + 1));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AutoPartitionException("Interrupted while waiting to cut over", e);
        }
    }

    /** Idempotent work after the cutover: validate re-pointed foreign keys, register the rule, analyze. */
    private void afterCutover(Connection connection, MigrationRow row) {
        runStored(connection, row, "post_cutover");
        register.accept(SpecJson.read(connection, store, row.id(), row.table()));
    }

    private void runStored(Connection connection, MigrationRow row, String kind) {
        for (String s : store.steps(connection, row.id(), kind)) {
            executor()
                    .run(
                            connection,
                            List.of(
                                    s.startsWith("ANALYZE") || s.contains(" VALIDATE CONSTRAINT ")
                                            ? Unit.autocommit(Statement.ddl(s, kind))
                                            : Unit.transaction(Statement.ddl(s, kind))),
                            kind + " of " + row.table());
        }
    }

    // ---------------------------------------------------------------- undo, finalize, abort

    /** Swaps back to the original table, which the undo log kept in step; nothing written since is lost. */
    public MigrationStatus undo(Connection connection, TableName table) {
        requireOwnTransactions(connection, table);
        return locked(connection, table, () -> {
            MigrationRow row = unfinished(connection, table);
            if (row.phase() != MigrationPhase.CUT_OVER) {
                throw new InvalidSpecException("The migration of " + table + " is " + row.phase() + "; only a"
                        + " cut-over migration can be undone. Fix: use abort before the cutover.");
            }
            MigrationSpec spec = storedSpec(connection, row);
            List<String> statements = store.steps(connection, row.id(), "undo");
            for (int attempt = 1; ; attempt++) {
                String current = "LOCK TABLE " + table.quoted() + " IN ACCESS EXCLUSIVE MODE";
                try {
                    connection.setAutoCommit(false);
                    try (var st = connection.createStatement()) {
                        st.execute("SET LOCAL lock_timeout = '"
                                + spec.cutoverLockTimeout().toMillis() + "ms'");
                        st.execute(current);
                        if (row.strategy() == MigrationStrategy.COPY) {
                            drainUndo(connection, row);
                        }
                        for (String s : statements) {
                            current = s;
                            st.execute(s);
                        }
                        // A copy migration can cut over again (its capture runs on); an attach migration has spent
                        // its cut point and ends here.
                        st.execute(
                                row.strategy() == MigrationStrategy.COPY
                                        ? store.phaseSql(
                                                row.id(),
                                                MigrationPhase.VERIFIED,
                                                "undone: " + table
                                                        + " is the original table again; cut over again, or abort")
                                        : store.phaseSql(
                                                row.id(),
                                                MigrationPhase.ABORTED,
                                                "undone: " + table
                                                        + " is the original table again, with every row; start a new migration to"
                                                        + " try again"));
                        connection.commit();
                    }
                    break;
                } catch (SQLException e) {
                    rollback(connection);
                    if (!"55P03".equals(e.getSQLState()) || attempt >= spec.cutoverAttempts()) {
                        throw new StatementFailedException(
                                "The undo of the migration of " + table + " failed and" + " was rolled back",
                                current,
                                e);
                    }
                    sleepBackoff(attempt);
                } finally {
                    autocommit(connection);
                }
            }
            unregister.accept(table);
            runStored(connection, row, "post_undo");
            return status(connection, store.find(connection, table).orElseThrow());
        });
    }

    private void drainUndo(Connection connection, MigrationRow row) throws SQLException {
        String[] replay = undoReplaySql(connection, row);
        TableName log = store.log(row.id(), true);
        while (store.backlogAbove(connection, row.id(), true, 0)) {
            String ids;
            try (var st = connection.createStatement();
                    ResultSet rs = st.executeQuery("SELECT coalesce(array_agg(log_id), '{}') FROM (SELECT log_id FROM "
                            + log.quoted() + " ORDER BY log_id LIMIT " + REPLAY_BATCH + ") l")) {
                rs.next();
                ids = "'" + rs.getString(1) + "'::bigint[]";
            }
            try (var st = connection.createStatement()) {
                indexPlansOnly(st);
                for (String s : replay) {
                    st.executeUpdate(s.replace("{ids}", ids));
                }
            }
        }
    }

    /** The undo replay, built from the original table's columns (read from the retired table now). */
    private String[] undoReplaySql(Connection connection, MigrationRow row) {
        var retired = reader.table(connection, row.retiredTable())
                .orElseThrow(() -> new AutoPartitionException("The original table " + row.retiredTable()
                        + " of the migration of " + row.table() + " is gone;" + " it cannot be undone."));
        List<String> pk = pkColumns(connection, row.retiredTable());
        String pkList = String.join(", ", pk.stream().map(Sql::quote).toList());
        String columns = String.join(
                ", ",
                retired.columns().stream()
                        .filter(c -> !c.generated())
                        .map(c -> Sql.quote(c.name()))
                        .toList());
        boolean identity = hasIdentity(connection, row.retiredTable());
        TableName log = store.log(row.id(), true);
        String keys =
                "(" + pkList + ") IN (SELECT " + pkList + " FROM " + log.quoted() + " WHERE log_id = ANY ({ids}))";
        return new String[] {
            "DELETE FROM " + row.retiredTable().quoted() + " WHERE " + keys,
            "INSERT INTO " + row.retiredTable().quoted() + " (" + columns + ")"
                    + (identity ? " OVERRIDING SYSTEM VALUE" : "") + " SELECT " + columns + " FROM "
                    + row.table().quoted() + " WHERE " + keys,
            "DELETE FROM " + log.quoted() + " WHERE log_id = ANY ({ids})"
        };
    }

    private static List<String> pkColumns(Connection connection, TableName table) {
        String sql = """
                SELECT a.attname FROM pg_catalog.pg_constraint c
                  CROSS JOIN LATERAL unnest(c.conkey) WITH ORDINALITY k(n, o)
                  JOIN pg_catalog.pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = k.n
                 WHERE c.conrelid = ?::regclass AND c.contype = 'p' ORDER BY k.o""";
        List<String> result = new ArrayList<>();
        try (PreparedStatement ps = connection.prepareStatement(sql)) {
            ps.setString(1, table.quoted());
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    result.add(rs.getString(1));
                }
            }
            return result;
        } catch (SQLException e) {
            throw new StatementFailedException("Cannot read the primary key of " + table, sql, e);
        }
    }

    private static boolean hasIdentity(Connection connection, TableName table) {
        String sql = "SELECT 1 FROM pg_catalog.pg_attribute WHERE attrelid = ?::regclass AND attidentity <> ''";
        try (PreparedStatement ps = connection.prepareStatement(sql)) {
            ps.setString(1, table.quoted());
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        } catch (SQLException e) {
            throw new StatementFailedException("Cannot read the columns of " + table, sql, e);
        }
    }

    /** Drops the original table and the migration's helpers; after this the migration cannot be undone. */
    /**
     * What {@link #finish} would do now: the stored finalize statements of a cut-over migration, or an empty plan with
     * a note saying why there is nothing to finalize.
     */
    public Plan planFinish(Connection connection, TableName table) {
        Optional<MigrationRow> found = store.find(connection, table);
        if (found.isEmpty() || found.get().phase() != MigrationPhase.CUT_OVER) {
            return new Plan(
                    List.of(),
                    List.of(
                            found.isEmpty()
                                    ? "no migration of " + table + " is under way"
                                    : "the migration of " + table + " is "
                                            + found.get().phase() + "; only a cut-over migration is finalized"));
        }
        List<PlannedStatement> statements = new ArrayList<>();
        for (String s : store.steps(connection, found.get().id(), "finalize")) {
            statements.add(
                    s.startsWith("DROP INDEX")
                            ? new PlannedStatement(
                                    s.replace("DROP INDEX", "DROP INDEX CONCURRENTLY"), "SHARE UPDATE EXCLUSIVE", false)
                            : new PlannedStatement(s, "ACCESS EXCLUSIVE on the dropped objects, briefly", true));
        }
        return new Plan(
                List.of(new PlannedStep(
                        table,
                        "finalize: drop " + found.get().retiredName() + " and the migration's helpers; no undo after"
                                + " this",
                        statements)),
                List.of());
    }

    public MigrationStatus finish(Connection connection, TableName table) {
        requireOwnTransactions(connection, table);
        return locked(connection, table, () -> {
            MigrationRow row = unfinished(connection, table);
            if (row.phase() != MigrationPhase.CUT_OVER) {
                throw new InvalidSpecException("The migration of " + table + " is " + row.phase() + "; only a"
                        + " cut-over migration can be finalized. Fix: run the migration to its cutover first.");
            }
            List<Statement> statements = new ArrayList<>();
            for (String s : store.steps(connection, row.id(), "finalize")) {
                if (s.startsWith("DROP INDEX")) { // copies kept for an undo, on a live partition: drop online
                    executor()
                            .run(
                                    connection,
                                    List.of(Unit.autocommit(Statement.ddl(
                                            s.replace("DROP INDEX", "DROP INDEX CONCURRENTLY"),
                                            "SHARE UPDATE EXCLUSIVE"))),
                                    "drop " + s);
                } else {
                    statements.add(Statement.ddl(s, "the migration's own objects"));
                }
            }
            statements.add(Statement.bookkeeping(
                    store.phaseSql(row.id(), MigrationPhase.FINALIZED, "finalized; the original table is dropped")));
            executor().run(connection, List.of(new Unit(true, statements)), "finalize the migration of " + table);
            return status(connection, store.find(connection, table).orElseThrow());
        });
    }

    /** Stops a migration before its cutover; the original table is left exactly as it was. */
    public MigrationStatus abort(Connection connection, TableName table) {
        requireOwnTransactions(connection, table);
        return locked(connection, table, () -> {
            MigrationRow row = unfinished(connection, table);
            if (row.phase() == MigrationPhase.CUT_OVER) {
                throw new InvalidSpecException("The migration of " + table + " is cut over; abort would lose the"
                        + " partitioned table's writes. Fix: undo it first (which keeps every row), then abort.");
            }
            if (row.strategy() == MigrationStrategy.ATTACH) {
                return abortAttach(connection, row, table);
            }
            List<Statement> statements = new ArrayList<>();
            for (String s : List.of(
                    "DROP TRIGGER IF EXISTS " + Sql.quote(MigrationSql.CAPTURE_TRIGGER) + " ON " + table.quoted(),
                    "DROP TRIGGER IF EXISTS " + Sql.quote(MigrationSql.GUARD_TRIGGER) + " ON " + table.quoted(),
                    "DROP FUNCTION IF EXISTS "
                            + store.captureFunction(row.id(), false).quoted() + "()",
                    "DROP TABLE IF EXISTS " + store.log(row.id(), false).quoted(),
                    "DROP TABLE IF EXISTS " + row.newTable().quoted() + " CASCADE")) {
                statements.add(Statement.ddl(s, "the migration's own objects"));
            }
            for (TargetPartition p : store.partitions(connection, row.id())) {
                statements.add(Statement.ddl(
                        "DROP TABLE IF EXISTS "
                                + TableName.of(table.schema(), p.name()).quoted(),
                        "the migration's own objects"));
            }
            statements.add(Statement.bookkeeping(store.phaseSql(
                    row.id(), MigrationPhase.ABORTED, "aborted before the cutover; the original table is unchanged")));
            executor().run(connection, List.of(new Unit(true, statements)), "abort the migration of " + table);
            return status(connection, store.find(connection, table).orElseThrow());
        });
    }

    private MigrationStatus abortAttach(Connection connection, MigrationRow row, TableName table) {
        for (String s : store.steps(connection, row.id(), "abort")) {
            Unit unit = s.startsWith("DROP INDEX")
                    ? Unit.autocommit(Statement.ddl(s.replace("DROP INDEX", "DROP INDEX CONCURRENTLY"), "online"))
                    : Unit.transaction(Statement.ddl(s, "brief"));
            executor().run(connection, List.of(unit), "abort the migration of " + table);
        }
        executor()
                .run(
                        connection,
                        List.of(Unit.transaction(Statement.bookkeeping(store.phaseSql(
                                row.id(),
                                MigrationPhase.ABORTED,
                                "aborted before the cutover; the original table is unchanged")))),
                        "abort");
        return status(connection, store.find(connection, table).orElseThrow());
    }

    // ---------------------------------------------------------------- status and helpers

    public Optional<MigrationStatus> status(Connection connection, TableName table) {
        return store.find(connection, table).map(row -> status(connection, row));
    }

    /** Every migration not finalized or aborted, with how long ago it last made progress. */
    public Map<MigrationStatus, Duration> unfinished(Connection connection) {
        Map<MigrationStatus, Duration> result = new LinkedHashMap<>();
        store.unfinished(connection)
                .forEach((table, seconds) -> store.find(connection, table)
                        .ifPresent(row ->
                                result.put(status(connection, row), Duration.ofMillis((long) (seconds * 1000)))));
        return result;
    }

    private MigrationStatus status(Connection connection, MigrationRow row) {
        MigrationRow fresh = store.find(connection, row.table()).orElse(row);
        List<TargetPartition> partitions = store.partitions(connection, fresh.id());
        long attached =
                partitions.stream().filter(p -> p.state().equals("attached")).count();
        double seconds = Math.max(
                0.001,
                Duration.between(fresh.startedAt(), java.time.Instant.now()).toMillis() / 1000.0);
        double rate = fresh.rowsCopied() / seconds;
        Duration eta =
                rate <= 0 || fresh.rowsCopied() >= fresh.rowsEstimate() || fresh.phase() != MigrationPhase.PREPARED
                        ? null
                        : Duration.ofSeconds((long) ((fresh.rowsEstimate() - fresh.rowsCopied()) / rate));
        long backlog = store.backlog(connection, fresh.id(), fresh.phase() == MigrationPhase.CUT_OVER);
        return new MigrationStatus(
                fresh.table(),
                fresh.strategy(),
                fresh.phase(),
                fresh.rowsEstimate(),
                fresh.rowsCopied(),
                fresh.rowsReplayed(),
                rate,
                eta,
                backlog,
                partitions.size(),
                (int) attached,
                fresh.cutoverAttempts(),
                fresh.cutoverLockMillis(),
                fresh.message(),
                fresh.fallingBehind());
    }

    private MigrationRow unfinished(Connection connection, TableName table) {
        return store.find(connection, table).filter(r -> !finished(r)).orElseThrow(() -> noMigration(table));
    }

    /**
     * Refuses a step (cutover, undo, finalize, abort) of a table that has no migration recorded at all; what each step
     * then requires of the migration's phase, the step itself checks.
     */
    public void requireRecorded(Connection connection, TableName table) {
        if (store.find(connection, table).isEmpty()) {
            throw noMigration(table);
        }
    }

    private static InvalidSpecException noMigration(TableName table) {
        return new InvalidSpecException(
                "No migration of " + table + " is under way. Fix: start one with migrateToPartitioned.");
    }

    private MigrationRow phase(
            Connection connection, MigrationRow row, MigrationPhase phase, @Nullable String message) {
        executor()
                .run(
                        connection,
                        List.of(Unit.transaction(Statement.bookkeeping(store.phaseSql(row.id(), phase, message)))),
                        "record phase " + phase);
        LOG.info("{}: migration {} is {}", row.table(), row.id(), phase);
        return store.find(connection, row.table()).orElseThrow();
    }

    private dev.autopartition.internal.exec.Executor executor() {
        return new dev.autopartition.internal.exec.Executor(
                lockTimeout, attempts, Duration.ofMillis(100), Duration.ofSeconds(2));
    }

    private static void requireOwnTransactions(Connection connection, TableName table) {
        try {
            if (Transactions.joinsCaller(connection)) {
                throw new InvalidSpecException("The migration of " + table + " commits its work in many small"
                        + " transactions and cannot run inside one. Fix: run it outside a transaction"
                        + " (Liquibase: runInTransaction=\"false\"; Flyway: a non-transactional migration).");
            }
        } catch (SQLException e) {
            throw new StatementFailedException("Cannot read the connection's auto-commit mode", "(getAutoCommit)", e);
        }
    }

    /** Work under the migration's advisory lock: one runner per table at a time. */
    private <T> T locked(Connection connection, TableName table, Transactions.Work<T> work) {
        String key = "SELECT pg_catalog.pg_try_advisory_lock(pg_catalog.hashtext('autopartition.migration'),"
                + " pg_catalog.hashtext(" + Sql.literal(table.quoted()) + "))";
        try (var st = connection.createStatement()) {
            try (ResultSet rs = st.executeQuery(key)) {
                rs.next();
                if (!rs.getBoolean(1)) {
                    throw new AutoPartitionException("Another process is running the migration of " + table + " now."
                            + " Fix: wait for it, or stop it; its progress is kept and the next run resumes.");
                }
            }
            try {
                return work.run();
            } finally {
                st.execute("SELECT pg_catalog.pg_advisory_unlock(pg_catalog.hashtext('autopartition.migration'),"
                        + " pg_catalog.hashtext(" + Sql.literal(table.quoted()) + "))");
            }
        } catch (SQLException e) {
            throw new StatementFailedException("The migration of " + table + " failed", key, e);
        }
    }

    private static void rollback(Connection connection) {
        try {
            connection.rollback();
        } catch (SQLException e) {
            LOG.warn("rollback failed: {}", e.getMessage());
        }
    }

    private static void autocommit(Connection connection) {
        try {
            connection.setAutoCommit(true);
        } catch (SQLException e) {
            LOG.warn("cannot restore auto-commit: {}", e.getMessage());
        }
    }
}
