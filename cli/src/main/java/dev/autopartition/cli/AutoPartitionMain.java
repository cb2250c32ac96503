package dev.autopartition.cli;

import java.time.Duration;
import picocli.CommandLine;

/** {@code java -jar autopartition-cli.jar <command> ...}: see {@link AutoPartitionCommand}. */
public final class AutoPartitionMain {
    private AutoPartitionMain() {}

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    /** The command line with the error handling and converters every command shares. */
    static CommandLine commandLine() {
        ErrorHandler errors = new ErrorHandler();
        CommandLine commandLine = new CommandLine(new AutoPartitionCommand())
                .setCaseInsensitiveEnumValuesAllowed(true)
                .setExecutionExceptionHandler(errors)
                .setParameterExceptionHandler(errors);
        commandLine.registerConverter(Duration.class, new Converters.DurationConverter());
        return commandLine;
    }
}
