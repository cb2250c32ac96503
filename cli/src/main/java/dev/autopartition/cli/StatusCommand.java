package dev.autopartition.cli;

import dev.autopartition.AutoPartition;
import dev.autopartition.TableStatus;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code status}: the state of every managed table. */
@Command(
        name = "status",
        sortOptions = false,
        description = {
            "Show every managed table: its key and increment, partitions, how many lie ahead (of the minimum),"
                    + " the range covered, rows in the default partition, when it was last maintained, and whether"
                    + " it needs attention.",
            "--json prints the same as JSON; --check exits with 3 when a table needs attention."
        },
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
            ExitCodes.HELP_OK,
            ExitCodes.HELP_FAILED,
            ExitCodes.HELP_USAGE,
            "3:with --check: a table needs attention (too few partitions ahead, or rows in its default partition)"
        })
final class StatusCommand extends DatabaseCommand {
    @Option(names = "--json", description = "Print JSON: {\"tables\": [...]}.")
    private boolean json;

    @Option(names = "--check", description = "Exit with 3 when a table needs attention.")
    private boolean check;

    @Override
    public Integer call() {
        AutoPartition ap = connection.autoPartition();
        List<TableStatus> tables = ap.status();
        if (json) {
            println(Json.write(
                    Map.of("tables", tables.stream().map(Reports::json).toList())));
        } else {
            print(Reports.status(tables, ap.catalogSchema()), ExitCodes.OK);
        }
        boolean attention = tables.stream().anyMatch(t -> t.enabled() && !t.healthy());
        return check && attention ? ExitCodes.PENDING : ExitCodes.OK;
    }
}
