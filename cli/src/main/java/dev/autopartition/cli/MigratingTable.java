package dev.autopartition.cli;

import dev.autopartition.TableName;
import picocli.CommandLine.Option;

/** {@code --table} of a migration that is under way (a picocli mixin): the rest was recorded when it started. */
final class MigratingTable {
    @Option(
            names = "--table",
            required = true,
            paramLabel = "<table>",
            order = 1,
            converter = Converters.TableNameConverter.class,
            description = "The migrating table (schema.table).")
    @SuppressWarnings("NullAway.Init")
    TableName table;
}
