package dev.autopartition.cli;

import dev.autopartition.MigrationStatus;
import dev.autopartition.Operation;
import dev.autopartition.Operation.MigrationStep.Step;
import java.util.Locale;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/**
 * {@code migrate cutover}, {@code undo}, {@code finalize} and {@code abort}: one command per {@link Step}, each a step
 * that needs nothing but the table. They are added to {@code migrate} by {@link #commandLine}.
 */
@Command(sortOptions = false)
final class MigrationStepCommand extends OperationCommand<MigrationStatus> {
    private final Step step;

    @Mixin
    @SuppressWarnings("NullAway.Init")
    private TableOptions.Migrating migrating;

    private MigrationStepCommand(Step step) {
        this.step = step;
    }

    /** The command of a step, named after it ({@code migrate cutover}). */
    static CommandLine commandLine(Step step) {
        CommandLine command = new CommandLine(new MigrationStepCommand(step));
        command.getCommandSpec()
                .name(step.name().toLowerCase(Locale.ROOT))
                .usageMessage()
                .description(description(step));
        return command;
    }

    private static String description(Step step) {
        return switch (step) {
            case CUTOVER ->
                "Cut over a verified migration (one started with --no-cutover): one short transaction behind a lock"
                        + " timeout, retried with backoff. Exit code 4 when no attempt got its lock; run it again later.";
            case UNDO ->
                "Swap the original table back in after a cutover, in one short transaction; what was written since"
                        + " the cutover is carried back. The migration returns to VERIFIED (copy strategy).";
            case FINALIZE ->
                "Finish a cut-over migration: drop the original table and the helpers. It cannot be undone afterwards.";
            case ABORT ->
                "Stop a migration before its cutover: drop the new table, the trigger and the change log. The original"
                        + " table is left exactly as it was.";
        };
    }

    @Override
    Operation<MigrationStatus> operation() {
        return new Operation.MigrationStep(migrating.table, step);
    }

    @Override
    int applied(MigrationStatus status) {
        return print(status);
    }
}
