package dev.autopartition.cli;

import dev.autopartition.AutoPartition;
import dev.autopartition.MigrationStatus;
import dev.autopartition.TableName;
import picocli.CommandLine.Command;

/** {@code migrate cutover}. */
@Command(
        name = "cutover",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        description =
                "Cut over a verified migration (one started with --no-cutover): one short transaction behind a lock timeout, retried with backoff. Exit code 4 when no attempt got its lock; run it again later.")
final class MigrateCutoverCommand extends MigrationStepCommand {
    @Override
    MigrationStatus apply(AutoPartition ap, TableName table) {
        return ap.cutover(table);
    }
}
