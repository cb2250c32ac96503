package dev.autopartition.cli;

import dev.autopartition.DatabaseMaintenanceStatus;
import dev.autopartition.MaintenanceRun;
import dev.autopartition.Operation;
import dev.autopartition.TableName;
import java.io.PrintWriter;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Locale;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code database-maintenance}: maintenance that runs inside PostgreSQL, as a procedure pg_cron calls. */
@Command(
        name = "database-maintenance",
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
final class DatabaseMaintenanceCommand extends GroupCommand {

    /** A change to in-database maintenance, or with {@code --dry-run} the SQL it would run. */
    abstract static class Change<R> extends OperationCommand<R> {
        @Option(names = "--dry-run", description = "Print the SQL instead of running it.")
        private boolean dryRun;

        @Override
        boolean dryRun() {
            return dryRun;
        }
    }

    @Command(
            name = "install",
            description = "Install (or replace) the procedure <catalog>.run_maintenance(), with this command's"
                    + " --lock-timeout as its default. Call it with: CALL autopartition.run_maintenance();")
    static class Install extends Change<DatabaseMaintenanceStatus> {
        /** The pg_cron schedule, or null to install the procedure only. */
        @Nullable
        String cron() {
            return null;
        }

        @Override
        final Operation<DatabaseMaintenanceStatus> operation() {
            return new Operation.InstallDatabaseMaintenance(cron());
        }

        @Override
        final int applied(DatabaseMaintenanceStatus status) {
            String procedure = status.procedure();
            String cron = cron();
            return println(
                    cron == null
                            ? "installed " + procedure + "; run it with: CALL " + procedure + "();"
                            : "scheduled " + procedure + " with pg_cron at '" + cron + "' (job " + status.cronJobId()
                                    + ")");
        }
    }

    @Command(
            name = "schedule",
            description = "Install the procedure and register it with pg_cron (the extension must exist in this"
                    + " database). A job of the same name is updated.")
    static final class Schedule extends Install {
        @Parameters(
                paramLabel = "<cron>",
                description = "A pg_cron schedule: five cron fields such as '*/10 * * * *', or '30 seconds'.")
        @SuppressWarnings("NullAway.Init")
        private String cron;

        @Override
        String cron() {
            return cron;
        }
    }

    @Command(name = "uninstall", description = "Remove the pg_cron job and the procedure. The work history stays.")
    static final class Uninstall extends Change<Boolean> {
        @Override
        Operation<Boolean> operation() {
            return new Operation.UninstallDatabaseMaintenance();
        }

        @Override
        int applied(Boolean removed) {
            return println(removed ? "removed in-database maintenance" : "in-database maintenance was not installed");
        }
    }

    @Command(
            name = "status",
            description = "Whether the procedure is installed and scheduled with pg_cron.",
            exitCodeListHeading = "%nExit codes:%n",
            exitCodeList = {"0:installed", "3:not installed"})
    static final class Status extends DatabaseCommand {
        @Override
        public Integer call() {
            DatabaseMaintenanceStatus status = connection.autoPartition().databaseMaintenanceStatus();
            String cron = status.cronJobId() == null
                    ? "not scheduled"
                    : "job " + status.cronJobId() + " at '" + status.cronSchedule() + "'"
                            + (Boolean.TRUE.equals(status.cronActive()) ? "" : " (inactive)");
            println("procedure  " + status.procedure() + (status.installed() ? " (installed)" : " (not installed)"));
            println("pg_cron    " + cron);
            return status.installed() ? ExitCodes.OK : ExitCodes.PENDING;
        }
    }

    @Command(
            name = "history",
            description = "What maintenance did, newest first: when, by whom (java or database), outcome, duration,"
                    + " partitions created and removed, error. Runs with nothing to do are not recorded.")
    static final class History extends DatabaseCommand {
        @Mixin
        @SuppressWarnings("NullAway.Init")
        private TableOptions.Only only;

        @Option(
                names = "--limit",
                paramLabel = "<n>",
                defaultValue = "20",
                description = "At most <n> entries. Default: ${DEFAULT-VALUE}.")
        private int limit;

        @Override
        public Integer call() {
            TableName table = only.table;
            List<MaintenanceRun> runs = connection.autoPartition().maintenanceHistory(table, limit);
            PrintWriter out = out();
            if (runs.isEmpty()) {
                out.println("No maintenance recorded" + (table == null ? "." : " for " + table + "."));
            }
            for (MaintenanceRun run : runs) {
                out.println(run.startedAt().truncatedTo(ChronoUnit.SECONDS) + "  "
                        + run.runBy().name().toLowerCase(Locale.ROOT) + "  " + run.table() + "  "
                        + run.outcome().name().toLowerCase(Locale.ROOT) + " in "
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
