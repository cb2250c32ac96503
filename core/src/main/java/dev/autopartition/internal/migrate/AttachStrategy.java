package dev.autopartition.internal.migrate;

import dev.autopartition.Execution;
import dev.autopartition.MigrationPhase;
import dev.autopartition.MigrationStrategy;
import dev.autopartition.PlannedStatement;
import dev.autopartition.PlannedStep;
import dev.autopartition.StatementFailedException;
import dev.autopartition.internal.plan.Statement;
import dev.autopartition.internal.plan.Unit;
import dev.autopartition.internal.sql.Sql;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;

/**
 * Zero copy: the original becomes the legacy partition below a cut point that lies beyond every key written so far,
 * proven by a CHECK validated online, and new partitions start at the cut. No row moves, so there is nothing to replay
 * or verify.
 */
record AttachStrategy() implements Strategy {
    /** Lock time per MB of a dropped index's file, released at commit: 103 ms for about 220 MB in the 2-core bench. */
    private static final double MS_PER_DROPPED_MB = 0.5;

    @Override
    public MigrationScript script(PlanInput in) {
        AttachSql attach = in.attach();
        SwapSql swap = in.swap();
        Map<Stage, List<ScriptStatement>> stages = new EnumMap<>(Stage.class);
        List<ScriptStatement> prepare = new ArrayList<>(in.sql().createNewParent(in.serverMajor() >= 17));
        prepare.add(attach.addCheck());
        stages.put(Stage.PREPARE, prepare);
        List<ScriptStatement> prove = new ArrayList<>();
        prove.add(attach.validateCheck());
        prove.addAll(attach.concurrentIndexes());
        stages.put(Stage.PROVE, prove);
        stages.put(Stage.CUTOVER, attach.cutover(swap, in.spec().keyColumns()));
        List<ScriptStatement> after = new ArrayList<>(swap.validateForeignKeys());
        after.add(CopyStrategy.analyze("ANALYZE " + in.table().quoted(), in.table()));
        stages.put(Stage.AFTER_CUTOVER, after);
        stages.put(Stage.UNDO, attach.undo(swap));
        stages.put(Stage.AFTER_UNDO, swap.validateForeignKeys());
        stages.put(Stage.FINALIZE, attach.finish());
        stages.put(Stage.ABORT, attach.abort());
        return new MigrationScript(stages);
    }

    @Override
    public String prepareAction(PlanInput in) {
        return "prepare: create " + in.newTable() + " with partitions from the cut point,"
                + " and a CHECK that keeps every row of " + in.table() + " below it";
    }

    @Override
    public List<PlannedStep> middleSteps(PlanInput in, List<TargetPartition> partitions) {
        List<PlannedStatement> prove = new ArrayList<>();
        for (ScriptStatement s : script(in).statements(Stage.PROVE)) {
            prove.add(s.planned());
        }
        return List.of(new PlannedStep(
                in.table(), "prove: validate the CHECK and build the widened unique keys online", prove));
    }

    @Override
    public String cutoverAction(PlanInput in) {
        return "cutover: " + in.table() + " becomes the legacy partition below "
                + in.source()
                        .keyType()
                        .display(in.cut(), in.spec().partitioning().timeZone());
    }

    @Override
    public List<String> notes(PlanInput in, List<TargetPartition> partitions, String gapNote) {
        List<String> notes = new ArrayList<>(List.of(
                "strategy " + MigrationStrategy.ATTACH + ": no rows are copied; the table becomes one legacy partition",
                "writes with keys at or after "
                        + in.source()
                                .keyType()
                                .display(in.cut(), in.spec().partitioning().timeZone())
                        + " are refused by the CHECK until the cutover: cut over soon after the prepare"));
        String dropped = droppedKeysNote(in.source());
        if (!dropped.isEmpty()) {
            notes.add(dropped);
        }
        return notes;
    }

    /**
     * The keys the cutover drops so that their widened twins can take their place, and what that costs under the
     * lock: PostgreSQL releases a dropped index's file at commit, before it lets go of the lock (measured at 103 ms
     * for a 10-million-row primary key in the 2-core bench, with the cutover's statements taking 5 ms). Keeping the
     * original key instead is refused by PostgreSQL 17's ATTACH when both are primary keys.
     */
    static String droppedKeysNote(SourceTable source) {
        List<SourceTable.Unique> widened = source.uniques().stream()
                .filter(u -> !u.columns().contains(source.keyColumn()))
                .toList();
        if (widened.isEmpty()) {
            return "";
        }
        long bytes = widened.stream().mapToLong(SourceTable.Unique::indexBytes).sum();
        long megabytes = Math.max(1, Math.round(bytes / 1_048_576.0));
        String names = widened.stream().map(u -> Sql.quote(u.name())).collect(Collectors.joining(", "));
        return "the cutover drops " + names + " (" + megabytes + " MB of index) for the widened key; the server"
                + " releases a dropped index's file at commit, while the cutover still holds its lock: roughly "
                + Math.max(1, Math.round(megabytes * MS_PER_DROPPED_MB)) + " ms more lock at the 0.5 ms per MB"
                + " measured on a small virtual machine; if that is too long, use the COPY strategy";
    }

    /** Validates the legacy CHECK (a scan under SHARE UPDATE EXCLUSIVE), builds the indexes online, then partitions. */
    @Override
    public void backfill(MigrationRun run) {
        MigrationRow row = run.row();
        for (ScriptStatement s : run.ctx.store.script(run.connection, row.id(), Stage.PROVE)) {
            String index = s.creates();
            if (index != null) {
                Boolean valid = indexValid(run.connection, index);
                if (Boolean.TRUE.equals(valid)) {
                    continue;
                }
                if (valid != null) { // left invalid by an interrupted build
                    run.ctx.run(
                            run.connection,
                            List.of(Unit.autocommit(Statement.outside(
                                    "DROP INDEX CONCURRENTLY " + index,
                                    s.lockMode(),
                                    s.lockedObject(),
                                    s.lock(),
                                    Execution.CONCURRENTLY))),
                            "drop the invalid index " + index);
                }
            }
            run.ctx.run(run.connection, s, "prove the legacy partition of " + row.table());
        }
        new PartitionLoader(run).loadPending(false);
    }

    private static @Nullable Boolean indexValid(Connection connection, String index) {
        String sql = "SELECT i.indisvalid FROM pg_catalog.pg_index i WHERE i.indexrelid = to_regclass(?)";
        try (PreparedStatement ps = connection.prepareStatement(sql)) {
            ps.setString(1, index);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getBoolean(1) : null;
            }
        } catch (SQLException e) {
            throw new StatementFailedException("Cannot look up index " + index, sql, e);
        }
    }

    @Override
    public void catchUp(MigrationRun run) {
        // the rows never move: the validated CHECK is the proof
    }

    @Override
    public void beforeCutover(MigrationRun run) {
        // nothing recorded, nothing to catch up
    }

    @Override
    public long underCutoverLock(MigrationRun run) {
        return 0;
    }

    @Override
    public void underUndoLock(MigrationContext ctx, Connection connection, MigrationRow row) {
        // the undo's own statements move the rows written since the cutover back
    }

    @Override
    public MigrationPhase afterUndo() {
        return MigrationPhase.ABORTED; // the cut point is spent
    }

    @Override
    public String afterUndoMessage(MigrationRow row) {
        return "undone: " + row.table() + " is the original table again, with every row; start a new migration to"
                + " try again";
    }
}
