package dev.autopartition.cli;

import dev.autopartition.Durations;
import picocli.CommandLine.Command;
import picocli.CommandLine.HelpCommand;

/** The top-level command; the work is done by its subcommands. */
@Command(
        name = "autopartition",
        resourceBundle = "dev.autopartition.cli.OptionDescriptions",
        versionProvider = VersionProvider.class,
        description = {
            "PostgreSQL native range partitioning, kept current: plan and run maintenance, show the state of managed"
                    + " tables, and migrate a live plain table into a partitioned one.",
            "",
            "Connection: --url, --user, --password before the command or after it (after it wins), or the PG*"
                    + " environment variables (PGHOST, PGPORT, PGDATABASE, PGUSER, PGPASSWORD) like psql.",
            "",
            "Durations (--lock-timeout, --every, --jitter, --pause, --cutover-lock-timeout, --latency-floor,"
                    + " --standby-lag-budget): " + Durations.GRAMMAR + "."
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
final class AutoPartitionCommand extends GroupCommand {}
