package dev.autopartition.internal.migrate;

import dev.autopartition.InvalidSpecException;
import dev.autopartition.MigrationPhase;
import dev.autopartition.MigrationSpec;
import dev.autopartition.MigrationStrategy;
import dev.autopartition.Plan;
import dev.autopartition.PlannedStep;
import dev.autopartition.StatementFailedException;
import dev.autopartition.TableName;
import dev.autopartition.internal.plan.Statement;
import dev.autopartition.internal.plan.Unit;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The explicit ends of a migration, each from the script stored at its prepare: undo (CUT_OVER back to VERIFIED, or
 * to ABORTED for ATTACH), finalize (CUT_OVER to FINALIZED) and abort (before the cutover, to ABORTED).
 */
final class ReversalPhase {
    private static final Logger LOG = LoggerFactory.getLogger(ReversalPhase.class);

    private final MigrationContext ctx;

    ReversalPhase(MigrationContext ctx) {
        this.ctx = ctx;
    }

    /** Swaps back to the original table, which the undo log kept in step; nothing written since is lost. */
    MigrationRow undo(Connection connection, MigrationRow row) {
        TableName table = row.table();
        if (row.phase() != MigrationPhase.CUT_OVER) {
            throw new InvalidSpecException("The migration of " + table + " is " + row.phase() + "; only a"
                    + " cut-over migration can be undone. Fix: use abort before the cutover.");
        }
        MigrationSpec spec = ctx.storedSpec(connection, row);
        Strategy strategy = Strategy.of(row.strategy());
        List<ScriptStatement> statements = ctx.store.script(connection, row.id(), Stage.UNDO);
        for (int attempt = 1; ; attempt++) {
            String current = "LOCK TABLE " + table.quoted() + " IN ACCESS EXCLUSIVE MODE";
            try {
                connection.setAutoCommit(false);
                try (var st = connection.createStatement()) {
                    st.execute("SET LOCAL lock_timeout = '"
                            + spec.cutoverLockTimeout().toMillis() + "ms'");
                    st.execute(current);
                    strategy.underUndoLock(ctx, connection, row);
                    for (ScriptStatement s : statements) {
                        current = s.sql();
                        st.execute(s.sql());
                    }
                    st.execute(ctx.store.phaseSql(row.id(), strategy.afterUndo(), strategy.afterUndoMessage(row)));
                    connection.commit();
                }
                break;
            } catch (SQLException e) {
                rollback(connection);
                if (!"55P03".equals(e.getSQLState()) || attempt >= spec.cutoverAttempts()) {
                    throw new StatementFailedException(
                            "The undo of the migration of " + table + " failed and was rolled back", current, e);
                }
                CutoverPhase.pauseBeforeAttempt(attempt + 1, "the undo of the migration of " + table);
            } finally {
                autocommit(connection);
            }
        }
        ctx.unregister.accept(table);
        for (ScriptStatement s : ctx.store.script(connection, row.id(), Stage.AFTER_UNDO)) {
            ctx.run(connection, s, "after the undo of " + table);
        }
        return ctx.reload(connection, row);
    }

    /**
     * What {@link #finish} would do now: the stored finalize statements of a cut-over migration, or an empty plan with
     * a note saying why there is nothing to finalize.
     */
    Plan planFinish(Optional<MigrationRow> found, TableName table, Connection connection) {
        if (found.isEmpty() || found.get().phase() != MigrationPhase.CUT_OVER) {
            return new Plan(
                    List.of(),
                    List.of(
                            found.isEmpty()
                                    ? "no migration of " + table + " is under way"
                                    : "the migration of " + table + " is "
                                            + found.get().phase() + "; only a cut-over migration is finalized"));
        }
        return new Plan(
                List.of(new PlannedStep(
                        table,
                        "finalize: drop " + found.get().retiredName() + " and the migration's helpers; no undo after"
                                + " this",
                        MigrationPlanner.planned(
                                ctx.store.script(connection, found.get().id(), Stage.FINALIZE)))),
                List.of());
    }

    /** Drops the original table and the migration's helpers; after this the migration cannot be undone. */
    MigrationRow finish(Connection connection, MigrationRow row) {
        if (row.phase() != MigrationPhase.CUT_OVER) {
            throw new InvalidSpecException("The migration of " + row.table() + " is " + row.phase() + "; only a"
                    + " cut-over migration can be finalized. Fix: run the migration to its cutover first.");
        }
        List<ScriptStatement> script = ctx.store.script(connection, row.id(), Stage.FINALIZE);
        endWith(
                connection,
                row,
                script,
                MigrationPhase.FINALIZED,
                "finalized; the original table is dropped",
                "finalize the migration of " + row.table());
        return ctx.reload(connection, row);
    }

    /** Stops a migration before its cutover; the original table is left exactly as it was. */
    MigrationRow abort(Connection connection, MigrationRow row) {
        if (row.phase() == MigrationPhase.CUT_OVER) {
            throw new InvalidSpecException("The migration of " + row.table() + " is cut over; abort would lose the"
                    + " partitioned table's writes. Fix: undo it first (which keeps every row), then abort.");
        }
        List<ScriptStatement> script = new ArrayList<>(ctx.store.script(connection, row.id(), Stage.ABORT));
        if (row.strategy() == MigrationStrategy.COPY) {
            // partitions not attached yet are tables of their own, which the new table's CASCADE does not reach
            ctx.store
                    .partitions(connection, row.id())
                    .forEach(p -> script.add(
                            MigrationSql.dropPartition(TableName.of(row.table().schema(), p.name()))));
        }
        endWith(
                connection,
                row,
                script,
                MigrationPhase.ABORTED,
                "aborted before the cutover; the original table is unchanged",
                "abort the migration of " + row.table());
        return ctx.reload(connection, row);
    }

    /**
     * Runs a stage that ends the migration: statements that must run outside a transaction block first, each on its
     * own, then the others in one transaction with the phase recorded.
     */
    private void endWith(
            Connection connection,
            MigrationRow row,
            List<ScriptStatement> script,
            MigrationPhase phase,
            String message,
            String what) {
        List<Statement> together = new ArrayList<>();
        for (ScriptStatement s : script) {
            if (s.execution().outsideTransaction()) {
                ctx.run(connection, s, what);
            } else {
                together.add(s.statement());
            }
        }
        together.add(Statement.bookkeeping(ctx.store.phaseSql(row.id(), phase, message)));
        ctx.run(connection, List.of(new Unit(true, together)), what);
        LOG.info("{}: migration {} is {}", row.table(), row.id(), phase);
    }

    static void rollback(Connection connection) {
        try {
            connection.rollback();
        } catch (SQLException e) {
            LOG.warn("rollback failed: {}", e.getMessage());
        }
    }

    static void autocommit(Connection connection) {
        try {
            connection.setAutoCommit(true);
        } catch (SQLException e) {
            LOG.warn("cannot restore auto-commit: {}", e.getMessage());
        }
    }
}
