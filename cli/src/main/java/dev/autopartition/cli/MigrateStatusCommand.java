package dev.autopartition.cli;

import dev.autopartition.MigrationStatus;
import dev.autopartition.TableName;
import java.io.PrintWriter;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code migrate status}: a migration's progress. */
@Command(
        name = "status",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        description = "Show the progress of the table's current (or last) migration: phase, rows copied of the"
                + " estimate, rows replayed, change-log backlog, partitions attached, cutover attempts and the"
                + " time the cutover held its lock.",
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
            ExitCodes.HELP_OK,
            ExitCodes.HELP_FAILED,
            ExitCodes.HELP_USAGE,
            "3:no migration of the table is recorded"
        })
final class MigrateStatusCommand implements Callable<Integer> {
    @Spec
    @SuppressWarnings("NullAway.Init")
    private CommandSpec spec;

    @Option(
            names = "--table",
            required = true,
            paramLabel = "<table>",
            order = 1,
            converter = Converters.TableNameConverter.class,
            description = "The migrating table (schema.table).")
    @SuppressWarnings("NullAway.Init")
    private TableName table;

    @Option(names = "--json", order = 2, description = "Print JSON.")
    private boolean json;

    @Mixin
    @SuppressWarnings("NullAway.Init")
    private ConnectionOptions connection;

    @Override
    public Integer call() {
        Optional<MigrationStatus> status = connection.autoPartition().migrationStatus(table);
        if (status.isEmpty()) {
            spec.commandLine().getErr().println("No migration of " + table + " is recorded.");
            spec.commandLine().getErr().flush();
            return ExitCodes.PENDING;
        }
        if (json) {
            PrintWriter out = spec.commandLine().getOut();
            out.println(Json.write(Reports.json(status.get())));
            out.flush();
        } else {
            MigrationRun.print(spec, status.get());
        }
        return ExitCodes.OK;
    }
}
