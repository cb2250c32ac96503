package dev.autopartition.cli;

import dev.autopartition.AutoPartitionException;
import dev.autopartition.LockTimeoutException;
import java.io.PrintWriter;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.IParameterExceptionHandler;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.UnmatchedArgumentException;

/**
 * Turns exceptions into one clear message on stderr and an exit code: the engine's messages are already written for
 * users, so they are printed as they are; stack traces only with {@code --verbose}.
 */
final class ErrorHandler implements IExecutionExceptionHandler, IParameterExceptionHandler {

    @Override
    public int handleParseException(ParameterException ex, String[] args) {
        CommandLine cmd = ex.getCommandLine();
        PrintWriter err = cmd.getErr();
        err.println(cmd.getColorScheme().errorText("error: " + ex.getMessage()));
        UnmatchedArgumentException.printSuggestions(ex, err);
        err.println("Try '" + cmd.getCommandSpec().qualifiedName() + " --help' for more information.");
        err.flush();
        return ExitCodes.USAGE;
    }

    @Override
    public int handleExecutionException(Exception ex, CommandLine cmd, ParseResult parseResult) {
        PrintWriter err = cmd.getErr();
        boolean verbose = verbose(parseResult);
        if (verbose) {
            ex.printStackTrace(err);
        }
        err.println(cmd.getColorScheme().errorText("error: " + message(ex)));
        if (!verbose && !(ex instanceof AutoPartitionException) && !(ex instanceof CliException)) {
            err.println("Run with --verbose for the stack trace.");
        }
        err.flush();
        return exitCode(ex);
    }

    static int exitCode(Throwable ex) {
        return ex instanceof LockTimeoutException ? ExitCodes.LOCK_TIMEOUT : ExitCodes.FAILED;
    }

    /** The engine's messages as they are; anything else with its type, since it is not written for users. */
    static String message(Throwable ex) {
        String message = ex.getMessage();
        if (ex instanceof AutoPartitionException || ex instanceof CliException) {
            return String.valueOf(message);
        }
        return ex.getClass().getName() + (message == null ? "" : ": " + message);
    }

    private static boolean verbose(@Nullable ParseResult parseResult) {
        for (ParseResult r = parseResult; r != null; r = r.subcommand()) {
            if (r.hasMatchedOption("--verbose")) {
                return true;
            }
        }
        return false;
    }
}
