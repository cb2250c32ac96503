package dev.autopartition.cli;

import dev.autopartition.Operation;
import dev.autopartition.PartitionInfo;
import dev.autopartition.TableName;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code find-partition}: which partition holds a key value. */
@Command(
        name = "find-partition",
        sortOptions = false,
        description = {
            "Print the partition of <table> that holds <value>: its quoted name, a tab, and its bound. A value no"
                    + " range holds is reported in the default partition if there is one.",
            "Write the value as in SQL: '2022-01-31 13:00:00+00', 2022-01-31, 42."
        },
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:found", ExitCodes.HELP_FAILED, ExitCodes.HELP_USAGE, "3:no partition holds the value"})
final class FindPartitionCommand extends OperationCommand<Optional<PartitionInfo>> {
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
    Operation<Optional<PartitionInfo>> operation() {
        return new Operation.FindPartition(table, value);
    }

    @Override
    int applied(Optional<PartitionInfo> found) {
        return found.map(p -> println(Reports.partition(p)))
                .orElseGet(() -> pending("No partition of " + table + " holds " + value + "."));
    }
}
