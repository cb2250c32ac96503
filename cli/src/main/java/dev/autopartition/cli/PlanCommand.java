package dev.autopartition.cli;

import dev.autopartition.AutoPartition;
import dev.autopartition.Plan;
import dev.autopartition.TableName;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code plan}: the SQL maintenance would run now, changing nothing. */
@Command(
        name = "plan",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        description = {
            "Print the SQL maintenance would run now on every managed table (or one), with the lock each statement"
                    + " takes. Changes nothing.",
            "With --check the exit code says whether there is work: 0 none, 3 pending."
        },
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
            "0:done (with --check: nothing to do)",
            ExitCodes.HELP_FAILED,
            ExitCodes.HELP_USAGE,
            "3:with --check: maintenance has work to do"
        })
final class PlanCommand implements Callable<Integer> {
    @Spec
    @SuppressWarnings("NullAway.Init")
    private CommandSpec spec;

    @Mixin
    @SuppressWarnings("NullAway.Init")
    private ConnectionOptions connection;

    @Option(
            names = "--table",
            paramLabel = "<table>",
            converter = Converters.TableNameConverter.class,
            description = "Only this table (schema.table; unquoted names fold to lower case).")
    private @Nullable TableName table;

    @Option(names = "--check", description = "Exit with 3 when there is work pending, 0 when there is none.")
    private boolean check;

    @Override
    public Integer call() {
        AutoPartition ap = connection.autoPartition();
        if (table != null) {
            ManagedTables.require(ap, table);
        }
        Plan plan = table == null ? ap.plan() : ap.plan(table);
        PrintWriter out = spec.commandLine().getOut();
        out.print(plan.toSql());
        if (plan.isEmpty()) {
            out.println("-- Nothing to do: " + (table == null ? "every managed table has" : table + " has")
                    + " the partitions it needs.");
        }
        out.flush();
        return check && !plan.isEmpty() ? ExitCodes.PENDING : ExitCodes.OK;
    }
}
