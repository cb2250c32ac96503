package dev.autopartition.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code migrate resume}: continues an interrupted migration. */
@Command(
        name = "resume",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        description = {
            "Continue a migration that was interrupted (the process was killed, the machine restarted, the cutover"
                    + " gave up) from its recorded phase and cursors. Give the same options as 'migrate start'"
                    + " (an @file holding them serves both). Fails when no migration of the table is under way.",
        },
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
            "0:cut over (or verified, with --no-cutover)",
            ExitCodes.HELP_FAILED,
            ExitCodes.HELP_USAGE,
            "4:the cutover did not get its lock on any attempt; the migration waits at VERIFIED, run 'migrate"
                    + " cutover' later"
        })
final class MigrateResumeCommand implements Callable<Integer> {
    @Spec
    @SuppressWarnings("NullAway.Init")
    private CommandSpec spec;

    @Mixin
    @SuppressWarnings("NullAway.Init")
    private MigrationSpecOptions migration;

    @Mixin
    @SuppressWarnings("NullAway.Init")
    private ConnectionOptions connection;

    @Option(
            names = "--progress",
            paramLabel = "<mode>",
            defaultValue = "auto",
            order = 90,
            description = "How progress is shown on stderr: ${COMPLETION-CANDIDATES}. auto draws a bar on a"
                    + " terminal and prints lines otherwise. Default: ${DEFAULT-VALUE}.")
    @SuppressWarnings("NullAway.Init")
    private MigrationProgress.Mode progress;

    @Override
    public Integer call() {
        return new MigrationRun(spec, connection, progress).run(migration.spec(), true);
    }
}
