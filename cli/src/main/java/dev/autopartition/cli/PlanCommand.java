package dev.autopartition.cli;

import dev.autopartition.MaintenanceReport;
import dev.autopartition.Operation;
import dev.autopartition.Plan;
import dev.autopartition.TableName;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code plan}: the SQL maintenance would run now, changing nothing (the dry run of {@code maintain}). */
@Command(
        name = "plan",
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
final class PlanCommand extends OperationCommand<MaintenanceReport> {
    @Mixin
    @SuppressWarnings("NullAway.Init")
    private TableOptions.Only only;

    @Option(names = "--check", description = "Exit with 3 when there is work pending, 0 when there is none.")
    private boolean check;

    @Override
    Operation<MaintenanceReport> operation() {
        return new Operation.Maintain(only.table);
    }

    @Override
    boolean dryRun() {
        return true;
    }

    @Override
    int planned(Plan plan) {
        TableName table = only.table;
        String nothing = "-- Nothing to do: " + (table == null ? "every managed table has" : table + " has")
                + " the partitions it needs.\n";
        return print(
                plan.toSql() + (plan.isEmpty() ? nothing : ""),
                check && !plan.isEmpty() ? ExitCodes.PENDING : ExitCodes.OK);
    }
}
