package dev.autopartition.cli;

import dev.autopartition.AutoPartition;
import dev.autopartition.Operation;
import dev.autopartition.Plan;
import dev.autopartition.TableName;

/**
 * A command that maps its options to one {@link Operation} and nothing more: the one place that carries it out, or
 * for a dry run ({@code --dry-run}, {@code plan}, {@code migrate plan}) prints its plan.
 *
 * @param <R> what carrying the operation out returns
 */
abstract class OperationCommand<R> extends DatabaseCommand {
    /** The operation the options describe; bad options throw here, before anything connects. */
    abstract Operation<R> operation();

    /** Whether to print the plan instead of carrying the operation out. */
    boolean dryRun() {
        return false;
    }

    @Override
    public Integer call() throws Exception {
        Operation<R> operation = operation();
        AutoPartition ap = connection.autoPartition();
        if (operation instanceof Operation.Maintain maintain) {
            TableName table = maintain.table();
            if (table != null) {
                ManagedTables.require(ap, table); // a typo is an error rather than "nothing to do"
            }
        }
        return dryRun() ? planned(ap.plan(operation)) : applied(apply(ap, operation));
    }

    /** Carries the operation out; a command that shows progress meanwhile wraps this. */
    R apply(AutoPartition ap, Operation<R> operation) {
        return ap.apply(operation);
    }

    /** Prints the dry run's plan and returns the exit code. */
    int planned(Plan plan) {
        return print(plan.toSql(), ExitCodes.OK);
    }

    /** Prints the result and returns the exit code; commands that only plan never get here. */
    int applied(R result) {
        throw new IllegalStateException(spec.qualifiedName() + " only plans");
    }
}
