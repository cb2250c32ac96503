package dev.autopartition.cli;

import dev.autopartition.AutoPartition;
import dev.autopartition.MigrationStatus;
import dev.autopartition.TableName;
import picocli.CommandLine.Command;

/** {@code migrate abort}. */
@Command(
        name = "abort",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        description =
                "Stop a migration before its cutover: drop the new table, the trigger and the change log. The original table is left exactly as it was.")
final class MigrateAbortCommand extends MigrationStepCommand {
    @Override
    MigrationStatus apply(AutoPartition ap, TableName table) {
        return ap.abortMigration(table);
    }
}
