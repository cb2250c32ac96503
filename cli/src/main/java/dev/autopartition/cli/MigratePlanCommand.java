package dev.autopartition.cli;

import dev.autopartition.MigrationStatus;
import dev.autopartition.Operation;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code migrate plan}: the migration's steps, changing nothing (the dry run of {@code migrate start}). */
@Command(
        name = "plan",
        sortOptions = false,
        description = "Print every step the migration would take, with the lock each statement takes, or why the"
                + " table cannot be migrated safely. Changes nothing.")
final class MigratePlanCommand extends OperationCommand<MigrationStatus> {
    @Mixin
    @SuppressWarnings("NullAway.Init")
    private MigrationSpecOptions migration;

    @Override
    Operation<MigrationStatus> operation() {
        return new Operation.Migrate(migration.spec());
    }

    @Override
    boolean dryRun() {
        return true;
    }
}
