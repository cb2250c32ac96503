package dev.autopartition.internal.migrate;

import dev.autopartition.LockMode;
import dev.autopartition.MigrationSpec;
import dev.autopartition.MigrationStrategy;
import dev.autopartition.Plan;
import dev.autopartition.PlannedStatement;
import dev.autopartition.PlannedStep;
import dev.autopartition.TableName;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The pure migration planner: from the source table's inventory, the spec, the server version and the cut point it
 * writes the typed script of every stage, and renders that script as the dry run. Nothing here touches a connection.
 */
final class MigrationPlanner {
    /** How long the cutover waits for its lock on the new table, which only autovacuum may hold. */
    static final Duration NEW_TABLE_LOCK_TIMEOUT = Duration.ofSeconds(5);

    private MigrationPlanner() {}

    static MigrationScript script(PlanInput in) {
        return Strategy.of(in.spec().strategy()).script(in);
    }

    /**
     * The cutover's locks, in the order taken: the new table first, while nothing waits behind it; then the tables
     * whose foreign keys are re-pointed (a writer of such a table checks its key against the original, so taking the
     * original first and them later would deadlock with it); then the original.
     */
    record CutoverLocks(ScriptStatement newTable, List<ScriptStatement> referencing, ScriptStatement original) {
        List<ScriptStatement> all() {
            List<ScriptStatement> all = new ArrayList<>();
            all.add(newTable);
            all.addAll(referencing);
            all.add(original);
            return all;
        }
    }

    static CutoverLocks cutoverLocks(SourceTable source, TableName newTable, MigrationSpec spec) {
        ScriptStatement onNew = ScriptStatement.of(
                "LOCK TABLE " + newTable.quoted() + " IN ACCESS EXCLUSIVE MODE",
                LockMode.ACCESS_EXCLUSIVE,
                newTable.quoted(),
                "ACCESS EXCLUSIVE on the new table and its partitions, not yet in use (waits up to "
                        + NEW_TABLE_LOCK_TIMEOUT.toMillis() + " ms for autovacuum)");
        List<ScriptStatement> referencing = source.inboundForeignKeys().stream()
                .map(fk -> fk.referencing().quoted())
                .distinct()
                .sorted()
                .map(table -> ScriptStatement.of(
                        "LOCK TABLE " + table + " IN SHARE ROW EXCLUSIVE MODE",
                        LockMode.SHARE_ROW_EXCLUSIVE,
                        table,
                        "SHARE ROW EXCLUSIVE on " + table + ", whose foreign key is re-pointed"))
                .toList();
        ScriptStatement original = ScriptStatement.of(
                "LOCK TABLE " + source.name().quoted() + " IN ACCESS EXCLUSIVE MODE",
                LockMode.ACCESS_EXCLUSIVE,
                source.name().quoted(),
                "ACCESS EXCLUSIVE on " + source.name() + ", for at most "
                        + spec.cutoverLockTimeout().toMillis() + " ms per attempt, retried up to "
                        + spec.cutoverAttempts() + " times");
        return new CutoverLocks(onNew, referencing, original);
    }

    /** The dry run: every step the migration would take, each statement with its lock, rendered from the script. */
    static Plan render(PlanInput in, List<TargetPartition> partitions, String gapNote) {
        Strategy strategy = Strategy.of(in.spec().strategy());
        MigrationScript script = strategy.script(in);
        TableName table = in.table();
        boolean attach = in.spec().strategy() == MigrationStrategy.ATTACH;
        List<PlannedStep> steps = new ArrayList<>();
        steps.add(new PlannedStep(table, strategy.prepareAction(in), planned(script.statements(Stage.PREPARE))));
        steps.addAll(strategy.middleSteps(in, partitions));
        List<PlannedStatement> cutover =
                planned(cutoverLocks(in.source(), in.newTable(), in.spec()).all());
        String inside = "inside the cutover transaction" + (attach ? " (metadata only)" : "");
        for (ScriptStatement s : script.statements(Stage.CUTOVER)) {
            cutover.add(s.describedAs(inside + "; " + s.lock()).planned());
        }
        steps.add(new PlannedStep(table, strategy.cutoverAction(in), cutover));
        steps.add(new PlannedStep(
                table,
                "after the cutover: validate re-pointed foreign keys, analyze, register the table for"
                        + " auto-partitioning"
                        + (attach ? "" : "; keep " + in.retiredTable().name() + " in sync until finalize"),
                planned(script.statements(Stage.AFTER_CUTOVER))));
        return new Plan(steps, strategy.notes(in, partitions, gapNote));
    }

    static List<PlannedStatement> planned(List<ScriptStatement> statements) {
        List<PlannedStatement> planned = new ArrayList<>();
        statements.forEach(s -> planned.add(s.planned()));
        return planned;
    }
}
