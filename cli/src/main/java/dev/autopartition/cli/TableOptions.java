package dev.autopartition.cli;

import dev.autopartition.TableName;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Option;

/**
 * The {@code --table} options (picocli mixins). A command that words the option its own way does so in {@code
 * OptionDescriptions.properties}, under its name ({@code autopartition.plan.table}); the others show the description
 * here.
 */
final class TableOptions {
    private TableOptions() {}

    /** {@code --table}, required: the table a migration is about. */
    static final class Migrating {
        @Option(
                names = "--table",
                required = true,
                paramLabel = "<table>",
                order = 1,
                converter = Converters.TableNameConverter.class,
                descriptionKey = "table",
                description = "The migrating table (schema.table).")
        @SuppressWarnings("NullAway.Init")
        TableName table;
    }

    /** {@code --table}, optional: only this table instead of every managed one. */
    static final class Only {
        @Option(
                names = "--table",
                paramLabel = "<table>",
                converter = Converters.TableNameConverter.class,
                descriptionKey = "table",
                description = "Only this table.")
        @Nullable
        TableName table;
    }
}
