package dev.autopartition.internal.migrate;

import dev.autopartition.Execution;
import dev.autopartition.LockMode;
import dev.autopartition.MigrationPhase;
import dev.autopartition.MigrationStrategy;
import dev.autopartition.PlannedStatement;
import dev.autopartition.PlannedStep;
import dev.autopartition.TableName;
import dev.autopartition.internal.pace.Pacer;
import dev.autopartition.internal.sql.Sql;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/** Every row is copied into its own partition while changes are recorded and replayed; the original is kept. */
record CopyStrategy() implements Strategy {

    @Override
    public MigrationScript script(PlanInput in) {
        MigrationSql sql = in.sql();
        SwapSql swap = in.swap();
        TableName table = in.table();
        Map<Stage, List<ScriptStatement>> stages = new EnumMap<>(Stage.class);
        List<ScriptStatement> prepare = new ArrayList<>(sql.createNewParent(in.serverMajor() >= 17));
        prepare.addAll(sql.capture(table, false));
        prepare.addAll(sql.dormantUndoCapture(in.newTable()));
        stages.put(Stage.PREPARE, prepare);
        List<ScriptStatement> cutover = new ArrayList<>(swap.swap(in.identity()));
        cutover.addAll(swap.repointForeignKeys(table, true, in.spec().keyColumns()));
        cutover.addAll(swap.views());
        cutover.addAll(swap.triggers(true));
        cutover.addAll(sql.dropCapture(in.retiredTable(), false));
        cutover.add(sql.armUndoCapture(table));
        stages.put(Stage.CUTOVER, cutover);
        List<ScriptStatement> after = new ArrayList<>(swap.validateForeignKeys());
        // every partition was analyzed when it was loaded; from 18 on, the parent's statistics alone can be gathered
        after.add(analyze((in.serverMajor() >= 18 ? "ANALYZE ONLY " : "ANALYZE ") + table.quoted(), table));
        stages.put(Stage.AFTER_CUTOVER, after);
        List<ScriptStatement> undo = new ArrayList<>(swap.unswap(in.identity()));
        undo.addAll(swap.repointForeignKeys(table, false, in.spec().keyColumns()));
        undo.addAll(swap.views());
        undo.addAll(swap.triggers(false));
        undo.add(sql.disarmUndoCapture(in.newTable()));
        undo.addAll(sql.capture(table, false));
        stages.put(Stage.UNDO, undo);
        stages.put(Stage.AFTER_UNDO, swap.validateForeignKeys());
        List<ScriptStatement> finalize = new ArrayList<>(sql.dropCapture(table, true));
        finalize.add(ScriptStatement.of(
                "DROP TABLE " + in.retiredTable().quoted(),
                LockMode.ACCESS_EXCLUSIVE,
                in.retiredTable().quoted(),
                "ACCESS EXCLUSIVE on " + in.retiredTable() + ", no longer in use"));
        stages.put(Stage.FINALIZE, finalize);
        List<ScriptStatement> abort = new ArrayList<>(sql.dropCapture(table, false));
        abort.addAll(sql.dropCapture(in.newTable(), true));
        abort.add(ScriptStatement.of(
                "DROP TABLE IF EXISTS " + in.newTable().quoted() + " CASCADE",
                LockMode.ACCESS_EXCLUSIVE,
                in.newTable().quoted(),
                "ACCESS EXCLUSIVE on the new table, not in use"));
        stages.put(Stage.ABORT, abort);
        return new MigrationScript(stages);
    }

    static ScriptStatement analyze(String sql, TableName table) {
        return ScriptStatement.outside(
                sql,
                LockMode.SHARE_UPDATE_EXCLUSIVE,
                table.quoted(),
                "SHARE UPDATE EXCLUSIVE on " + table + " (reads and writes go on)",
                Execution.OUTSIDE_TRANSACTION);
    }

    @Override
    public String prepareAction(PlanInput in) {
        return "prepare: create " + in.newTable() + " partitioned by range ("
                + Sql.quote(in.source().keyColumn()) + ") and start recording changes to " + in.table();
    }

    @Override
    public List<PlannedStep> middleSteps(PlanInput in, List<TargetPartition> partitions) {
        MigrationSql sql = in.sql();
        TableName table = in.table();
        int batch = in.spec().batchSize();
        List<PlannedStep> steps = new ArrayList<>();
        for (TargetPartition p : partitions) {
            List<PlannedStatement> load = new ArrayList<>();
            load.add(sql.createPartition(p).planned());
            load.add(sql.boundsCheck(p).planned());
            load.add(new PlannedStatement(
                    sql.copySlice(p, p.lower(), p.upper()) + " -- in slices of the key of about " + batch
                            + " rows, each committed with its cursor",
                    LockMode.ACCESS_SHARE,
                    table.quoted(),
                    "ACCESS SHARE on " + table + " (reads, in batches of " + batch + ")",
                    Execution.IN_TRANSACTION));
            for (MigrationSql.ForeignKeyProof fk :
                    in.serverMajor() < 18 ? sql.partitionForeignKeys(p) : List.<MigrationSql.ForeignKeyProof>of()) {
                load.add(fk.add().planned());
                load.add(fk.validate().planned());
            }
            sql.partitionIndexes(p).forEach(index -> load.add(index.planned()));
            load.add(sql.vacuum(p).planned());
            load.add(sql.attach(p).planned());
            load.add(sql.dropBoundsCheck(p).planned());
            var zone = in.spec().partitioning().timeZone();
            steps.add(new PlannedStep(
                    table,
                    "backfill partition " + p.name() + " ["
                            + in.source().keyType().display(p.lower(), zone) + ", "
                            + in.source().keyType().display(p.upper(), zone) + ")",
                    load));
        }
        steps.add(new PlannedStep(
                table,
                "catch up: replay recorded changes by re-reading the current rows, then"
                        + " compare every partition's count and checksum with the original",
                List.of()));
        return steps;
    }

    @Override
    public String cutoverAction(PlanInput in) {
        return "cutover: drain the last changes and swap names in one short transaction";
    }

    @Override
    public List<String> notes(PlanInput in, List<TargetPartition> partitions, String gapNote) {
        return List.of(
                "strategy " + MigrationStrategy.COPY + ": every row is copied into its own partition while changes are"
                        + " recorded and replayed; needs room for a second copy of the table",
                "about " + in.source().rowsEstimate() + " rows in " + partitions.size() + " partitions",
                gapNote);
    }

    @Override
    public void backfill(MigrationRun run) {
        new PartitionLoader(run).loadPending(true);
    }

    @Override
    public void catchUp(MigrationRun run) {
        new PartitionLoader(run).ensurePartitions();
        Replay replay = new Replay(run, run.pacer);
        replay.forward();
        new Verification(run).verify(replay);
    }

    @Override
    public void beforeCutover(MigrationRun run) {
        new Replay(run, run.pacer).beforeLock();
        // last, so that only writes in the moment before the lock can still lie in a period without a partition
        new PartitionLoader(run).ensurePartitions();
    }

    @Override
    public long underCutoverLock(MigrationRun run) {
        // writers wait for the lock now, so one pass empties the log; nothing under the lock is paced
        return new Replay(run, Pacer.fixed(Replay.REPLAY_BATCH, Duration.ZERO)).replay(run.connection, 1);
    }

    @Override
    public void underUndoLock(MigrationContext ctx, Connection connection, MigrationRow row) throws SQLException {
        new UndoReplay(ctx, row).drain(connection);
    }

    @Override
    public MigrationPhase afterUndo() {
        return MigrationPhase.VERIFIED; // the capture runs on: it can cut over again
    }

    @Override
    public String afterUndoMessage(MigrationRow row) {
        return "undone: " + row.table() + " is the original table again; cut over again, or abort";
    }
}
