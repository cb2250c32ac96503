package dev.autopartition.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.HelpCommand;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** The top-level command; the work is done by its subcommands. */
@Command(
        name = "autopartition",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        description = {
            "PostgreSQL native range partitioning, kept current: plan and run maintenance, show the state of managed"
                    + " tables, and migrate a live plain table into a partitioned one.",
            "",
            "Connection: --url, --user, --password on each command, or the PG* environment variables"
                    + " (PGHOST, PGPORT, PGDATABASE, PGUSER, PGPASSWORD) like psql."
        },
        subcommands = {
            PlanCommand.class,
            MaintainCommand.class,
            StatusCommand.class,
            FindPartitionCommand.class,
            MigrateCommand.class,
            DatabaseMaintenanceCommand.class,
            HelpCommand.class
        },
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
            ExitCodes.HELP_OK,
            ExitCodes.HELP_FAILED,
            ExitCodes.HELP_USAGE,
            ExitCodes.HELP_PENDING,
            ExitCodes.HELP_LOCK_TIMEOUT
        })
final class AutoPartitionCommand implements Callable<Integer> {
    @Spec
    @SuppressWarnings("NullAway.Init")
    private CommandSpec spec;

    @Override
    public Integer call() {
        throw new ParameterException(
                spec.commandLine(),
                "Missing command: plan, maintain, status, find-partition, migrate or database-maintenance.");
    }
}
