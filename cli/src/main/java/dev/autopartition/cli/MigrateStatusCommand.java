package dev.autopartition.cli;

import dev.autopartition.MigrationStatus;
import dev.autopartition.TableName;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code migrate status}: a migration's progress. */
@Command(
        name = "status",
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
final class MigrateStatusCommand extends DatabaseCommand {
    @Mixin
    @SuppressWarnings("NullAway.Init")
    private TableOptions.Migrating migrating;

    @Option(names = "--json", order = 2, description = "Print JSON.")
    private boolean json;

    @Override
    public Integer call() {
        TableName table = migrating.table;
        Optional<MigrationStatus> status = connection.autoPartition().migrationStatus(table);
        if (status.isEmpty()) {
            return pending("No migration of " + table + " is recorded.");
        }
        return json ? println(Json.write(Reports.json(status.get()))) : print(status.get());
    }
}
