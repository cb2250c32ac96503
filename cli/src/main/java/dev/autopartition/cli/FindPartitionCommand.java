package dev.autopartition.cli;

import dev.autopartition.PartitionInfo;
import dev.autopartition.TableName;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code find-partition}: which partition holds a key value. */
@Command(
        name = "find-partition",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        description = {
            "Print the partition of <table> that holds <value>: its quoted name, a tab, and its bound. A value no"
                    + " range holds is reported in the default partition if there is one.",
            "Write the value as in SQL: '2022-01-31 13:00:00+00', 2022-01-31, 42."
        },
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:found", ExitCodes.HELP_FAILED, ExitCodes.HELP_USAGE, "3:no partition holds the value"})
final class FindPartitionCommand implements Callable<Integer> {
    @Spec
    @SuppressWarnings("NullAway.Init")
    private CommandSpec spec;

    @Mixin
    @SuppressWarnings("NullAway.Init")
    private ConnectionOptions connection;

    @Parameters(
            index = "0",
            paramLabel = "<table>",
            converter = Converters.TableNameConverter.class,
            description = "The partitioned table (schema.table).")
    @SuppressWarnings("NullAway.Init")
    private TableName table;

    @Parameters(index = "1", paramLabel = "<value>", description = "A value of the partition key.")
    @SuppressWarnings("NullAway.Init")
    private String value;

    @Override
    public Integer call() {
        Optional<PartitionInfo> found = connection.autoPartition().findPartition(table, value);
        if (found.isEmpty()) {
            spec.commandLine().getErr().println("No partition of " + table + " holds " + value + ".");
            spec.commandLine().getErr().flush();
            return ExitCodes.PENDING;
        }
        spec.commandLine().getOut().println(Reports.partition(found.get()));
        spec.commandLine().getOut().flush();
        return ExitCodes.OK;
    }
}
