package dev.autopartition.cli;

import picocli.CommandLine.Command;

/** {@code migrate resume}: continues an interrupted migration. */
@Command(
        name = "resume",
        description = {
            "Continue a migration that was interrupted (the process was killed, the machine restarted, the cutover"
                    + " gave up) from its recorded phase and cursors. Give the same options as 'migrate start'"
                    + " (an @file holding them serves both). Fails when no migration of the table is under way.",
        })
final class MigrateResumeCommand extends MigrationRunCommand {
    @Override
    boolean resume() {
        return true;
    }
}
