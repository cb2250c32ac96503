package dev.autopartition.cli;

import dev.autopartition.AutoPartition;
import dev.autopartition.MigrationStatus;
import dev.autopartition.TableName;
import java.util.concurrent.Callable;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** A migration step that needs nothing but the table: the rest was recorded when the migration started. */
abstract class MigrationStepCommand implements Callable<Integer> {
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

    @Mixin
    @SuppressWarnings("NullAway.Init")
    private ConnectionOptions connection;

    /** Takes the step. */
    abstract MigrationStatus apply(AutoPartition ap, TableName table);

    @Override
    public Integer call() {
        MigrationStatus status = apply(connection.autoPartition(), table);
        MigrationRun.print(spec, status);
        return ExitCodes.OK;
    }
}
