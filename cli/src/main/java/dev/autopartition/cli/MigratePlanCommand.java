package dev.autopartition.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code migrate plan}: the migration's steps, changing nothing. */
@Command(
        name = "plan",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        description = "Print every step the migration would take, with the lock each statement takes, or why the"
                + " table cannot be migrated safely. Changes nothing.")
final class MigratePlanCommand implements Callable<Integer> {
    @Spec
    @SuppressWarnings("NullAway.Init")
    private CommandSpec spec;

    @Mixin
    @SuppressWarnings("NullAway.Init")
    private MigrationSpecOptions migration;

    @Mixin
    @SuppressWarnings("NullAway.Init")
    private ConnectionOptions connection;

    @Override
    public Integer call() {
        String sql = connection.autoPartition().planMigration(migration.spec()).toSql();
        spec.commandLine().getOut().print(sql);
        spec.commandLine().getOut().flush();
        return ExitCodes.OK;
    }
}
