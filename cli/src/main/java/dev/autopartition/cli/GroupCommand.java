package dev.autopartition.cli;

import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** A command that only groups subcommands ({@code autopartition}, {@code migrate}): without one it is a usage error. */
@Command(mixinStandardHelpOptions = true) // every command has --help and --version
abstract class GroupCommand implements Callable<Integer> {
    @Spec
    @SuppressWarnings("NullAway.Init")
    private CommandSpec spec;

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
