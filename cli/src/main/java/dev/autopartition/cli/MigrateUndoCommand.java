package dev.autopartition.cli;

import dev.autopartition.AutoPartition;
import dev.autopartition.MigrationStatus;
import dev.autopartition.TableName;
import picocli.CommandLine.Command;

/** {@code migrate undo}. */
@Command(
        name = "undo",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        description =
                "Swap the original table back in after a cutover, in one short transaction; what was written since the cutover is carried back. The migration returns to VERIFIED (copy strategy).")
final class MigrateUndoCommand extends MigrationStepCommand {
    @Override
    MigrationStatus apply(AutoPartition ap, TableName table) {
        return ap.undoMigration(table);
    }
}
