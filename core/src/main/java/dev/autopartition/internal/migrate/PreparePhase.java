package dev.autopartition.internal.migrate;

import dev.autopartition.Execution;
import dev.autopartition.InvalidSpecException;
import dev.autopartition.MigrationPhase;
import dev.autopartition.MigrationSpec;
import dev.autopartition.MigrationStrategy;
import dev.autopartition.SpecField;
import dev.autopartition.internal.plan.Statement;
import dev.autopartition.internal.plan.Unit;
import dev.autopartition.internal.sql.Sql;
import java.sql.Connection;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * No migration to PREPARED: plans the script, then in one transaction records the migration, runs the script's
 * prepare stage and stores the whole script, so every later run executes exactly what was planned here.
 */
final class PreparePhase {
    private static final Logger LOG = LoggerFactory.getLogger(PreparePhase.class);

    private final MigrationContext ctx;

    PreparePhase(MigrationContext ctx) {
        this.ctx = ctx;
    }

    /** The plan's input as it would be now, for a migration numbered {@code id}. */
    PlanInput input(Connection connection, MigrationSpec spec, long id) {
        int major = ctx.reader.serverMajor(connection);
        SourceTable source = ctx.inventory.read(connection, spec, major);
        long cut = spec.strategy() == MigrationStrategy.ATTACH
                ? ctx.range.cut(connection, source, spec.partitioning())
                : 0;
        return new PlanInput(
                source,
                spec,
                major,
                ctx.store,
                id,
                MigrationSql.newName(source.name()),
                MigrationSql.retiredName(source.name()),
                cut);
    }

    MigrationRow prepare(Connection connection, MigrationSpec spec) {
        PlanInput in = input(connection, spec, ctx.store.nextId(connection));
        for (String name : List.of(in.newName(), in.retiredName())) {
            if (ctx.reader.relationNames(connection, in.table().schema()).contains(name)) {
                throw new InvalidSpecException(
                        SpecField.TABLE,
                        "Cannot migrate " + in.table() + ": a relation named " + Sql.quote(name)
                                + " already exists in its schema (left by an earlier migration?). Fix:"
                                + " drop or rename it first.");
            }
        }
        MigrationScript script = MigrationPlanner.script(in);
        List<Statement> statements = new ArrayList<>();
        statements.add(Statement.bookkeeping(ctx.store.insertSql(
                in.id(), in.source(), in.newName(), in.retiredName(), spec.strategy(), SpecJson.write(spec))));
        for (ScriptStatement s : script.statements(Stage.PREPARE)) {
            if (s.execution() != Execution.IN_TRANSACTION) {
                throw new IllegalStateException("the prepare stage runs in one transaction: " + s.sql());
            }
            statements.add(s.statement());
        }
        boolean attach = spec.strategy() == MigrationStrategy.ATTACH;
        if (attach) {
            statements.add(Statement.bookkeeping(ctx.store.phaseSql(
                    in.id(),
                    MigrationPhase.PREPARED,
                    "legacy partition below "
                            + in.source()
                                    .keyType()
                                    .display(in.cut(), spec.partitioning().timeZone())
                            + "; writes at or above it are refused until the cutover")));
            for (TargetPartition p : ctx.range.fromCut(connection, in.source(), spec.partitioning(), in.cut())) {
                statements.add(Statement.bookkeeping(ctx.store.partitionSql(in.id(), p)));
            }
        }
        ctx.store.scriptSql(in.id(), script).forEach(s -> statements.add(Statement.bookkeeping(s)));
        ctx.run(connection, List.of(new Unit(true, statements)), "prepare the migration of " + in.table());
        if (!attach) {
            // Planned only now, after the capture trigger committed: every row written before it is visible here,
            // and every row written after it is in the change log.
            List<Statement> partitionRows = new ArrayList<>();
            for (TargetPartition p : ctx.range.partitions(
                    connection, in.source(), spec.partitioning(), Set.of(), spec.skipEmptyPeriods())) {
                partitionRows.add(Statement.bookkeeping(ctx.store.partitionSql(in.id(), p)));
            }
            ctx.run(connection, List.of(new Unit(true, partitionRows)), "plan the partitions of " + in.table());
        }
        LOG.info("{}: migration {} prepared; changes are recorded from now on", in.table(), in.id());
        return ctx.store.find(connection, in.table()).orElseThrow();
    }
}
