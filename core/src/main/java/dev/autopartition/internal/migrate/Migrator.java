package dev.autopartition.internal.migrate;

import dev.autopartition.AutoPartitionException;
import dev.autopartition.AutoPartitionSpec;
import dev.autopartition.InvalidSpecException;
import dev.autopartition.MigrationPhase;
import dev.autopartition.MigrationSpec;
import dev.autopartition.MigrationStatus;
import dev.autopartition.MigrationStrategy;
import dev.autopartition.Plan;
import dev.autopartition.SpecField;
import dev.autopartition.StatementFailedException;
import dev.autopartition.TableName;
import dev.autopartition.internal.catalog.EngineCatalog;
import dev.autopartition.internal.pace.Pacer;
import dev.autopartition.internal.run.ConnectionSource;
import dev.autopartition.internal.run.Executor;
import dev.autopartition.internal.sql.Sql;
import dev.autopartition.internal.sql.Transactions;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Online migration of a plain table into a partitioned one. This is the loop: it takes the migration's advisory lock
 * and drives the phases (prepare, backfill, catch-up and verify, cutover; undo, finalize and abort on request) from
 * the phase the catalog records, so a killed process resumes where it stopped when the same call is made again.
 */
public final class Migrator {
    /** The phases of a run, in order; each starts where the one before left the migration. */
    private static final List<Phase> PHASES = List.of(new BackfillPhase(), new CatchUpPhase(), new CutoverPhase());

    private final MigrationContext ctx;
    private final MigrationProgress progress;
    private final PreparePhase prepare;
    private final ReversalPhase reversal;

    /**
     * @param executor the engine's executor: its lock timeout, retries and backoff apply to the migration too
     * @param pacers the pace of one run, from its spec; closed when the run ends
     */
    public Migrator(
            ConnectionSource connections,
            EngineCatalog catalog,
            Clock clock,
            Executor executor,
            Consumer<AutoPartitionSpec> register,
            Consumer<TableName> unregister,
            Function<MigrationSpec, Pacer> pacers) {
        MigrationStore store = new MigrationStore(catalog);
        this.ctx = new MigrationContext(
                store, new Inventory(catalog.schema()), executor, connections, clock, register, unregister, pacers);
        this.progress = new MigrationProgress(store);
        this.prepare = new PreparePhase(ctx);
        this.reversal = new ReversalPhase(ctx);
    }

    /** A migrator whose runs go at the pace of the knobs: the spec's batch size and pause. */
    public Migrator(
            ConnectionSource connections,
            EngineCatalog catalog,
            Clock clock,
            Executor executor,
            Consumer<AutoPartitionSpec> register,
            Consumer<TableName> unregister) {
        this(connections, catalog, clock, executor, register, unregister, Pacing.byBudget(connections));
    }

    /** The pace of the knobs: the spec's batch size and pause. */
    public static Function<MigrationSpec, Pacer> fixedPace() {
        return spec -> Pacer.fixed(spec.batchSize(), spec.pause());
    }

    /** Every step the migration would take, with the lock each statement takes, without changing anything. */
    public Plan plan(Connection connection, MigrationSpec spec) {
        PlanInput in = prepare.input(connection, spec, 0);
        List<TargetPartition> partitions = spec.strategy() == MigrationStrategy.ATTACH
                ? List.of()
                : ctx.range.partitions(connection, in.source(), spec.partitioning(), Set.of(), spec.skipEmptyPeriods());
        String gap = ctx.range.gapNote(
                connection, in.source(), spec.partitioning(), partitions.size(), spec.skipEmptyPeriods());
        return MigrationPlanner.render(in, partitions, gap);
    }

    /** Starts the migration, or resumes it from its recorded phase, up to the cutover (or up to VERIFIED). */
    public MigrationStatus run(Connection connection, MigrationSpec spec) {
        requireOwnTransactions(connection, spec.table());
        return locked(connection, spec.table(), () -> {
            Optional<MigrationRow> existing =
                    ctx.store.find(connection, spec.table()).filter(r -> !finished(r));
            MigrationRow row = existing.isPresent() ? existing.get() : prepare.prepare(connection, spec);
            if (spec.strategy() != row.strategy()) {
                throw new InvalidSpecException(
                        SpecField.STRATEGY,
                        "The migration of " + spec.table() + " was started with strategy " + row.strategy() + ", not "
                                + spec.strategy() + ". Fix: resume it with the same strategy, or abort it first.");
            }
            if (row.phase() != MigrationPhase.CUT_OVER) {
                row = drive(connection, row, spec, PHASES);
            }
            if (row.phase() == MigrationPhase.CUT_OVER) {
                CutoverPhase.after(ctx, connection, row);
            }
            return progress.status(connection, row);
        });
    }

    /** Runs the phases that apply from the row's phase on, with one pacer for the whole run. */
    private MigrationRow drive(Connection connection, MigrationRow row, MigrationSpec spec, List<Phase> phases) {
        SourceTable source = ctx.inventory.read(connection, spec, ctx.reader.serverMajor(connection));
        try (Pacer pacer = ctx.pacers.apply(spec)) {
            MigrationRun run = new MigrationRun(ctx, connection, row, source, spec, pacer);
            for (Phase phase : phases) {
                if (run.row().phase() == phase.from()) {
                    phase.advance(run);
                }
            }
            return run.row();
        }
    }

    /** Cuts over a migration that is verified (resuming it first if needed). */
    public MigrationStatus cutover(Connection connection, TableName table) {
        requireOwnTransactions(connection, table);
        return locked(connection, table, () -> {
            MigrationRow row = unfinished(connection, table);
            if (row.phase() == MigrationPhase.VERIFIED) {
                row = drive(connection, row, ctx.storedSpec(connection, row), List.of(new CutoverPhase()));
            } else if (row.phase() != MigrationPhase.CUT_OVER) {
                throw new InvalidSpecException("The migration of " + table + " is " + row.phase() + ", not yet"
                        + " verified. Fix: run migrateToPartitioned again to finish the backfill first.");
            }
            CutoverPhase.after(ctx, connection, row);
            return progress.status(connection, row);
        });
    }

    /** Swaps back to the original table, which the undo log kept in step; nothing written since is lost. */
    public MigrationStatus undo(Connection connection, TableName table) {
        return step(connection, table, row -> reversal.undo(connection, row));
    }

    /** What {@link #finish} would do now, with the lock each statement takes. */
    public Plan planFinish(Connection connection, TableName table) {
        return reversal.planFinish(ctx.store.find(connection, table), table, connection);
    }

    /** Drops the original table and the migration's helpers; after this the migration cannot be undone. */
    public MigrationStatus finish(Connection connection, TableName table) {
        return step(connection, table, row -> reversal.finish(connection, row));
    }

    /** Stops a migration before its cutover; the original table is left exactly as it was. */
    public MigrationStatus abort(Connection connection, TableName table) {
        return step(connection, table, row -> reversal.abort(connection, row));
    }

    private MigrationStatus step(Connection connection, TableName table, Function<MigrationRow, MigrationRow> work) {
        requireOwnTransactions(connection, table);
        return locked(connection, table, () -> progress.status(connection, work.apply(unfinished(connection, table))));
    }

    public Optional<MigrationStatus> status(Connection connection, TableName table) {
        return ctx.store.find(connection, table).map(row -> progress.status(connection, row));
    }

    /** Every migration not finalized or aborted, with how long ago it last made progress. */
    public Map<MigrationStatus, Duration> unfinished(Connection connection) {
        return progress.unfinished(connection);
    }

    /**
     * Refuses a step (cutover, undo, finalize, abort) of a table that has no migration recorded at all; what each step
     * then requires of the migration's phase, the step itself checks.
     */
    public void requireRecorded(Connection connection, TableName table) {
        if (ctx.store.find(connection, table).isEmpty()) {
            throw noMigration(table);
        }
    }

    private static boolean finished(MigrationRow row) {
        return row.phase() == MigrationPhase.FINALIZED || row.phase() == MigrationPhase.ABORTED;
    }

    private MigrationRow unfinished(Connection connection, TableName table) {
        return ctx.store.find(connection, table).filter(r -> !finished(r)).orElseThrow(() -> noMigration(table));
    }

    private static InvalidSpecException noMigration(TableName table) {
        return new InvalidSpecException(
                "No migration of " + table + " is under way. Fix: start one with migrateToPartitioned.");
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
        String key = "pg_catalog.hashtext('autopartition.migration'), pg_catalog.hashtext("
                + Sql.literal(table.quoted()) + ")";
        String lock = "SELECT pg_catalog.pg_try_advisory_lock(" + key + ")";
        try (var st = connection.createStatement()) {
            try (ResultSet rs = st.executeQuery(lock)) {
                rs.next();
                if (!rs.getBoolean(1)) {
                    throw new AutoPartitionException("Another process is running the migration of " + table + " now."
                            + " Fix: wait for it, or stop it; its progress is kept and the next run resumes.");
                }
            }
            try {
                return work.run();
            } finally {
                st.execute("SELECT pg_catalog.pg_advisory_unlock(" + key + ")");
            }
        } catch (SQLException e) {
            throw new StatementFailedException("The migration of " + table + " failed", lock, e);
        }
    }
}
