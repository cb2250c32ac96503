package dev.autopartition.cli;

import dev.autopartition.MigrationStatus;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** A command that talks to the database: the connection options and the output every such command shares. */
@Command(mixinStandardHelpOptions = true) // every command has --help and --version
abstract class DatabaseCommand implements Callable<Integer> {
    @Spec
    @SuppressWarnings("NullAway.Init")
    CommandSpec spec;

    @Mixin
    @SuppressWarnings("NullAway.Init")
    ConnectionOptions connection;

    /** Results. */
    final PrintWriter out() {
        return spec.commandLine().getOut();
    }

    /** Diagnostics. */
    final PrintWriter err() {
        return spec.commandLine().getErr();
    }

    /** Prints a result on stdout and returns the exit code. */
    final int print(String text, int exitCode) {
        out().print(text);
        out().flush();
        return exitCode;
    }

    /** Prints a line on stdout and returns {@link ExitCodes#OK}. */
    final int println(String line) {
        out().println(line);
        out().flush();
        return ExitCodes.OK;
    }

    /** Prints a migration's status and the next step on stdout; returns {@link ExitCodes#OK}. */
    final int print(MigrationStatus status) {
        return print(Reports.migration(status) + Reports.nextLine(status), ExitCodes.OK);
    }

    /** Prints the answer "not yet" on stderr (no partition, no migration) and returns {@link ExitCodes#PENDING}. */
    final int pending(String line) {
        err().println(line);
        err().flush();
        return ExitCodes.PENDING;
    }
}
