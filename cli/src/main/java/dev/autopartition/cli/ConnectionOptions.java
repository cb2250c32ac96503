package dev.autopartition.cli;

import dev.autopartition.AutoPartition;
import java.io.PrintWriter;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** The connection and engine options every command that talks to the database shares (a picocli mixin). */
final class ConnectionOptions {
    @Spec(Spec.Target.MIXEE)
    @SuppressWarnings("NullAway.Init")
    private CommandSpec mixee;

    @Option(
            names = "--url",
            paramLabel = "<url>",
            order = 100,
            description = "JDBC URL (jdbc:postgresql://host:5432/db) or postgresql:// URI."
                    + " Default: built from PGHOST, PGPORT and PGDATABASE, like psql.")
    private @Nullable String url;

    @Option(
            names = {"-U", "--user"},
            paramLabel = "<user>",
            order = 101,
            description = "Database user. Default: the URL's, else PGUSER, else the OS user.")
    private @Nullable String user;

    @Option(
            names = "--password",
            paramLabel = "<password>",
            arity = "0..1",
            interactive = true,
            prompt = "Password: ",
            order = 102,
            description = "Password; without a value it is asked for. Prefer PGPASSWORD (or the URL) so it stays"
                    + " out of the process list. Never printed.")
    private char @Nullable [] password;

    @Option(
            names = "--catalog-schema",
            paramLabel = "<schema>",
            defaultValue = "autopartition",
            order = 103,
            description = "Schema of the engine's catalog. Default: ${DEFAULT-VALUE}.")
    @SuppressWarnings("NullAway.Init")
    private String catalogSchema;

    @Option(
            names = "--lock-timeout",
            paramLabel = "<duration>",
            converter = Converters.DurationConverter.class,
            order = 104,
            description = "How long one DDL statement waits for its lock before it is retried (500ms, 2s)."
                    + " Default: 500ms.")
    private @Nullable Duration lockTimeout;

    @Option(
            names = "--now",
            paramLabel = "<instant>",
            converter = Converters.InstantConverter.class,
            order = 105,
            description = "Plan as if it were this instant (2022-01-31T12:00:00Z): for tests and demonstrations"
                    + " only, retention counts from it.")
    private @Nullable Instant now;

    @Option(
            names = {"-v", "--verbose"},
            order = 106,
            description = "Log each step the engine takes, and print stack traces of errors.")
    private boolean verbose;

    /** The engine, configured from the options; nothing connects before the first call. */
    AutoPartition autoPartition() {
        Logging.configure(verbose);
        ConnectionTarget target = target();
        if (verbose) {
            err().println("autopartition: connecting to " + target.display());
            err().flush();
        }
        return configure(AutoPartition.configure(target.dataSource()));
    }

    /** The engine on one connection the caller owns (for polling next to a long call). */
    AutoPartition autoPartition(java.sql.Connection connection) {
        return configure(AutoPartition.configure(connection));
    }

    private AutoPartition configure(AutoPartition.Builder builder) {
        builder.catalogSchema(catalogSchema);
        if (lockTimeout != null) {
            builder.lockTimeout(lockTimeout);
        }
        if (now != null) {
            builder.clock(Clock.fixed(now, ZoneOffset.UTC));
        }
        return builder.build();
    }

    /** Where to connect, from the options and the environment. */
    ConnectionTarget target() {
        return ConnectionTarget.resolve(url, user, password == null ? null : new String(password), environment());
    }

    private static Map<String, String> environment() {
        return System.getenv();
    }

    private PrintWriter err() {
        return mixee.commandLine().getErr();
    }
}
