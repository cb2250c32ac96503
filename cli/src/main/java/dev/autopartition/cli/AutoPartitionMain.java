package dev.autopartition.cli;

import dev.autopartition.Operation;
import java.time.Duration;
import java.util.Objects;
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
        CommandLine commandLine = new CommandLine(new AutoPartitionCommand());
        CommandLine migrate =
                Objects.requireNonNull(commandLine.getSubcommands().get("migrate"), "migrate");
        for (Operation.MigrationStep.Step step : Operation.MigrationStep.Step.values()) {
            migrate.addSubcommand(MigrationStepCommand.commandLine(step));
        }
        // set after every subcommand is added: these apply to the subcommands there are
        commandLine
                .setCaseInsensitiveEnumValuesAllowed(true)
                .setExecutionExceptionHandler(errors)
                .setParameterExceptionHandler(errors);
        commandLine.registerConverter(Duration.class, new Converters.DurationConverter());
        return commandLine;
    }
}
