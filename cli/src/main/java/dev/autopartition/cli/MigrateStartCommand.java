package dev.autopartition.cli;

import picocli.CommandLine.Command;

/** {@code migrate start}: starts the migration (or continues one that was interrupted). */
@Command(
        name = "start",
        description = {
            "Migrate the table: prepare the new partitioned table and record changes, copy the rows in batches,"
                    + " catch up and verify, then cut over in one short transaction (unless --no-cutover). Progress"
                    + " is shown on stderr. The original table is kept in step until 'migrate finalize'.",
            "Every step is recorded: when the process dies, 'migrate resume' with the same options continues."
                    + " Starting a migration that is already under way continues it too."
        })
final class MigrateStartCommand extends MigrationRunCommand {
    @Override
    boolean resume() {
        return false;
    }
}
