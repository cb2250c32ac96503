package dev.autopartition.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code migrate start}: starts the migration (or continues one that was interrupted). */
@Command(
        name = "start",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        description = {
            "Migrate the table: prepare the new partitioned table and record changes, copy the rows in batches,"
                    + " catch up and verify, then cut over in one short transaction (unless --no-cutover). Progress"
                    + " is shown on stderr. The original table is kept in step until 'migrate finalize'.",
            "Every step is recorded: when the process dies, 'migrate resume' with the same options continues."
                    + " Starting a migration that is already under way continues it too."
        },
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
            "0:cut over (or verified, with --no-cutover)",
            ExitCodes.HELP_FAILED,
            ExitCodes.HELP_USAGE,
            "4:the cutover did not get its lock on any attempt; the migration waits at VERIFIED, run 'migrate"
                    + " cutover' later"
        })
final class MigrateStartCommand implements Callable<Integer> {
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
        return new MigrationRun(spec, connection, progress).run(migration.spec(), false);
    }
}
