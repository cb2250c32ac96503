package dev.autopartition.cli;

import dev.autopartition.AutoPartition;
import dev.autopartition.MigrationStatus;
import dev.autopartition.TableName;
import picocli.CommandLine.Command;

/** {@code migrate finalize}. */
@Command(
        name = "finalize",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        description =
                "Finish a cut-over migration: drop the original table and the helpers. It cannot be undone afterwards.")
final class MigrateFinalizeCommand extends MigrationStepCommand {
    @Override
    MigrationStatus apply(AutoPartition ap, TableName table) {
        return ap.finalizeMigration(table);
    }
}
