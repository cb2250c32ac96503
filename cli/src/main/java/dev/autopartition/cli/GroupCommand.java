package dev.autopartition.cli;

import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * A command that only groups subcommands ({@code autopartition}, {@code migrate}): without one it is a usage error.
 * It takes the connection options too, for its subcommands: {@code autopartition --url ... status}.
 */
@Command(mixinStandardHelpOptions = true) // every command has --help and --version
abstract class GroupCommand implements Callable<Integer> {
    @Spec
    @SuppressWarnings("NullAway.Init")
    private CommandSpec spec;

    /** Read by the subcommands' own {@link ConnectionOptions}, which fall back to these. */
    @Mixin
    @SuppressWarnings({"NullAway.Init", "unused"})
    private ConnectionOptions connection;

    @Override
    public Integer call() {
        List<String> names = spec.subcommands().keySet().stream()
                .filter(name -> !name.equals("help"))
                .toList();
        String last = names.get(names.size() - 1);
        throw new ParameterException(
                spec.commandLine(),
                "Missing command: " + String.join(", ", names.subList(0, names.size() - 1)) + " or " + last + ".");
    }
}
