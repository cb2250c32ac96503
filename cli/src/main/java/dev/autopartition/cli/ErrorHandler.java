package dev.autopartition.cli;

import dev.autopartition.AutoPartitionException;
import dev.autopartition.InvalidSpecException;
import dev.autopartition.LockTimeoutException;
import dev.autopartition.SpecField;
import java.io.PrintWriter;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.IParameterExceptionHandler;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.UnmatchedArgumentException;

/**
 * Turns exceptions into one clear message on stderr and an exit code: the engine's messages are already written for
 * users, so they are printed as they are, followed by the option that bad input was given in; stack traces only with
 * {@code --verbose}.
 */
final class ErrorHandler implements IExecutionExceptionHandler, IParameterExceptionHandler {
    private static final Pattern KEBAB = Pattern.compile("([A-Z])");

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
        err.println(cmd.getColorScheme().errorText("error: " + message(ex) + where(ex, cmd.getCommandSpec())));
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

    /**
     * Where bad input was given, after the message: {@code " (option --increment)"}, or {@code " (argument <cron>)"}
     * for a parameter; empty when the exception names no field or the command has no option for it.
     */
    static String where(Throwable ex, CommandSpec command) {
        if (!(ex instanceof InvalidSpecException invalid)) {
            return "";
        }
        return invalid.field()
                .flatMap(field -> names(field).stream()
                        .filter(name -> name.startsWith("--")
                                ? command.findOption(name) != null
                                : command.positionalParameters().stream()
                                        .anyMatch(p -> p.paramLabel().equals(name)))
                        .findFirst())
                .map(name -> (name.startsWith("--") ? " (option " : " (argument ") + name + ")")
                .orElse("");
    }

    /** The options and parameters a field may be given by: the builder's word in kebab case, but for a few. */
    private static List<String> names(SpecField field) {
        return switch (field) {
            case MINIMUM_ADVANCE_PARTITIONS -> List.of("--min-advance");
            case MAXIMUM_ADVANCE_PARTITIONS -> List.of("--max-advance");
            case FOREIGN_KEY_KEY_COLUMN -> List.of("--fk-key-column");
            case INTERVAL -> List.of("--every");
            case CRON_SCHEDULE -> List.of("<cron>");
            default -> {
                String word = field.option();
                yield List.of("--" + KEBAB.matcher(word).replaceAll("-$1").toLowerCase(Locale.ROOT), "<" + word + ">");
            }
        };
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
