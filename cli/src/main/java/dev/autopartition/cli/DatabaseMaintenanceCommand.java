package dev.autopartition.cli;

import dev.autopartition.AutoPartition;
import dev.autopartition.DatabaseMaintenanceStatus;
import dev.autopartition.MaintenanceRun;
import dev.autopartition.Plan;
import dev.autopartition.TableName;
import java.io.PrintWriter;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code database-maintenance}: maintenance that runs inside PostgreSQL, as a procedure pg_cron calls. */
@Command(
        name = "database-maintenance",
        mixinStandardHelpOptions = true,
        header = "In-database maintenance: install the maintenance procedure, schedule it with pg_cron, remove it,"
                + " show it and the work history.",
        description = {
            "Maintenance without any application: a procedure in the catalog schema does what maintain does, and"
                    + " pg_cron can call it on a schedule.",
            "  install    install (or replace) the procedure autopartition.run_maintenance()",
            "  schedule   install it and register it with pg_cron: schedule '*/10 * * * *'",
            "  uninstall  remove the pg_cron job and the procedure (the history stays)",
            "  status     whether it is installed and scheduled",
            "  history    what maintenance (Java or in-database) did, newest first"
        },
        subcommands = {
            DatabaseMaintenanceCommand.Install.class,
            DatabaseMaintenanceCommand.Schedule.class,
            DatabaseMaintenanceCommand.Uninstall.class,
            DatabaseMaintenanceCommand.Status.class,
            DatabaseMaintenanceCommand.History.class
        })
final class DatabaseMaintenanceCommand implements Callable<Integer> {
    @Spec
    @SuppressWarnings("NullAway.Init")
    private CommandSpec spec;

    @Override
    public Integer call() {
        throw new ParameterException(
                spec.commandLine(), "Missing command: install, schedule, uninstall, status or history.");
    }

    /** Prints a plan (a dry run) or a one-line result. */
    private static int done(CommandSpec spec, String line) {
        PrintWriter out = spec.commandLine().getOut();
        out.println(line);
        out.flush();
        return ExitCodes.OK;
    }

    private static int print(CommandSpec spec, Plan plan) {
        PrintWriter out = spec.commandLine().getOut();
        out.print(plan.toSql());
        out.flush();
        return ExitCodes.OK;
    }

    @Command(
            name = "install",
            mixinStandardHelpOptions = true,
            description = "Install (or replace) the procedure <catalog>.run_maintenance(), with this command's"
                    + " --lock-timeout as its default. Call it with: CALL autopartition.run_maintenance();")
    static final class Install implements Callable<Integer> {
        @Spec
        @SuppressWarnings("NullAway.Init")
        private CommandSpec spec;

        @Mixin
        @SuppressWarnings("NullAway.Init")
        private ConnectionOptions connection;

        @Option(names = "--dry-run", description = "Print the SQL instead of running it.")
        private boolean dryRun;

        @Override
        public Integer call() {
            AutoPartition ap = connection.autoPartition();
            if (dryRun) {
                return print(spec, ap.planInstallDatabaseMaintenance());
            }
            ap.installDatabaseMaintenance();
            String procedure = ap.databaseMaintenanceStatus().procedure();
            return done(spec, "installed " + procedure + "; run it with: CALL " + procedure + "();");
        }
    }

    @Command(
            name = "schedule",
            mixinStandardHelpOptions = true,
            description = "Install the procedure and register it with pg_cron (the extension must exist in this"
                    + " database). A job of the same name is updated.")
    static final class Schedule implements Callable<Integer> {
        @Spec
        @SuppressWarnings("NullAway.Init")
        private CommandSpec spec;

        @Mixin
        @SuppressWarnings("NullAway.Init")
        private ConnectionOptions connection;

        @Parameters(
                paramLabel = "<cron>",
                description = "A pg_cron schedule: five cron fields such as '*/10 * * * *', or '30 seconds'.")
        @SuppressWarnings("NullAway.Init")
        private String cron;

        @Option(names = "--dry-run", description = "Print the SQL instead of running it.")
        private boolean dryRun;

        @Override
        public Integer call() {
            AutoPartition ap = connection.autoPartition();
            if (dryRun) {
                return print(spec, ap.planScheduleWithPgCron(cron));
            }
            long job = ap.scheduleWithPgCron(cron);
            return done(
                    spec,
                    "scheduled " + ap.databaseMaintenanceStatus().procedure() + " with pg_cron at '" + cron + "' (job "
                            + job + ")");
        }
    }

    @Command(
            name = "uninstall",
            mixinStandardHelpOptions = true,
            description = "Remove the pg_cron job and the procedure. The work history stays.")
    static final class Uninstall implements Callable<Integer> {
        @Spec
        @SuppressWarnings("NullAway.Init")
        private CommandSpec spec;

        @Mixin
        @SuppressWarnings("NullAway.Init")
        private ConnectionOptions connection;

        @Option(names = "--dry-run", description = "Print the SQL instead of running it.")
        private boolean dryRun;

        @Override
        public Integer call() {
            AutoPartition ap = connection.autoPartition();
            if (dryRun) {
                return print(spec, ap.planUninstallDatabaseMaintenance());
            }
            return done(
                    spec,
                    ap.uninstallDatabaseMaintenance()
                            ? "removed in-database maintenance"
                            : "in-database maintenance was not installed");
        }
    }

    @Command(
            name = "status",
            mixinStandardHelpOptions = true,
            description = "Whether the procedure is installed and scheduled with pg_cron.",
            exitCodeListHeading = "%nExit codes:%n",
            exitCodeList = {"0:installed", "3:not installed"})
    static final class Status implements Callable<Integer> {
        @Spec
        @SuppressWarnings("NullAway.Init")
        private CommandSpec spec;

        @Mixin
        @SuppressWarnings("NullAway.Init")
        private ConnectionOptions connection;

        @Override
        public Integer call() {
            DatabaseMaintenanceStatus status = connection.autoPartition().databaseMaintenanceStatus();
            PrintWriter out = spec.commandLine().getOut();
            out.println(
                    "procedure  " + status.procedure() + (status.installed() ? " (installed)" : " (not installed)"));
            out.println("pg_cron    "
                    + (status.cronJobId() == null
                            ? "not scheduled"
                            : "job " + status.cronJobId() + " at '" + status.cronSchedule() + "'"
                                    + (Boolean.TRUE.equals(status.cronActive()) ? "" : " (inactive)")));
            out.flush();
            return status.installed() ? ExitCodes.OK : ExitCodes.PENDING;
        }
    }

    @Command(
            name = "history",
            mixinStandardHelpOptions = true,
            description = "What maintenance did, newest first: when, by whom (java or database), outcome, duration,"
                    + " partitions created and removed, error. Runs with nothing to do are not recorded.")
    static final class History implements Callable<Integer> {
        @Spec
        @SuppressWarnings("NullAway.Init")
        private CommandSpec spec;

        @Mixin
        @SuppressWarnings("NullAway.Init")
        private ConnectionOptions connection;

        @Option(
                names = "--table",
                paramLabel = "<table>",
                converter = Converters.TableNameConverter.class,
                description = "Only this table.")
        private @Nullable TableName table;

        @Option(
                names = "--limit",
                paramLabel = "<n>",
                defaultValue = "20",
                description = "At most <n> entries. Default: ${DEFAULT-VALUE}.")
        private int limit;

        @Override
        public Integer call() {
            List<MaintenanceRun> runs = connection.autoPartition().maintenanceHistory(table, limit);
            PrintWriter out = spec.commandLine().getOut();
            if (runs.isEmpty()) {
                out.println("No maintenance recorded" + (table == null ? "." : " for " + table + "."));
            }
            for (MaintenanceRun run : runs) {
                out.println(run.startedAt().truncatedTo(ChronoUnit.SECONDS) + "  "
                        + run.runBy().name().toLowerCase(java.util.Locale.ROOT) + "  " + run.table() + "  "
                        + run.outcome().name().toLowerCase(java.util.Locale.ROOT) + " in "
                        + run.duration().toMillis() + " ms" + detail(run));
            }
            out.flush();
            return ExitCodes.OK;
        }

        private static String detail(MaintenanceRun run) {
            StringBuilder text = new StringBuilder();
            if (!run.created().isEmpty()) {
                text.append("; created ").append(String.join(", ", run.created()));
            }
            if (!run.removed().isEmpty()) {
                text.append("; removed ").append(String.join(", ", run.removed()));
            }
            if (run.skipped() != null) {
                text.append("; ").append(run.skipped());
            }
            if (run.error() != null) {
                text.append("\n    error: ").append(run.error().replace("\n", "\n    "));
            }
            return text.toString();
        }
    }
}
