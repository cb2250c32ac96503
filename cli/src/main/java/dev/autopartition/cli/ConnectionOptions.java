package dev.autopartition.cli;

import dev.autopartition.AutoPartition;
import java.io.PrintWriter;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * The connection and engine options every command that talks to the database shares (a picocli mixin). The groups
 * above the commands ({@code autopartition}, {@code migrate}, {@code database-maintenance}) take them too, so they
 * may be written before the command ({@code autopartition --url ... status}) as well as after it; a value given after
 * the command wins over one given before it, and the nearer group's over the outer one's.
 */
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
            order = 103,
            description = "Schema of the engine's catalog. Default: " + DEFAULT_CATALOG_SCHEMA + ".")
    private @Nullable String catalogSchema;

    @Option(
            names = "--lock-timeout",
            paramLabel = "<duration>",
            converter = Converters.DurationConverter.class,
            order = 104,
            description = "How long one DDL statement waits for its lock before it is retried (500ms, 2s; a bare"
                    + " number is milliseconds). Default: 500ms.")
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

    private static final String DEFAULT_CATALOG_SCHEMA = "autopartition";

    /** The engine, configured from the options; nothing connects before the first call. */
    AutoPartition autoPartition() {
        boolean verbosely = verbose();
        Logging.configure(verbosely);
        ConnectionTarget target = target();
        if (verbosely) {
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
        String schema = given(o -> o.catalogSchema);
        builder.catalogSchema(schema == null ? DEFAULT_CATALOG_SCHEMA : schema);
        Duration timeout = given(o -> o.lockTimeout);
        if (timeout != null) {
            builder.lockTimeout(timeout);
        }
        Instant instant = given(o -> o.now);
        if (instant != null) {
            builder.clock(Clock.fixed(instant, ZoneOffset.UTC));
        }
        return builder.build();
    }

    /** Where to connect, from the options and the environment. */
    ConnectionTarget target() {
        char[] secret = given(o -> o.password);
        return ConnectionTarget.resolve(
                given(o -> o.url), given(o -> o.user), secret == null ? null : new String(secret), environment());
    }

    /** Whether {@code --verbose} was given, after the command or before it. */
    boolean verbose() {
        return given(o -> o.verbose ? Boolean.TRUE : null) != null;
    }

    /**
     * An option's value: the one given after the command, else the nearest group's above it (the options written
     * before the command), else null.
     */
    private <T> @Nullable T given(Function<ConnectionOptions, @Nullable T> option) {
        for (ConnectionOptions options : chain()) {
            T value = option.apply(options);
            if (value != null) {
                return value;
            }
        }
        return null;
    }

    /** These options, then those of each group above the command, innermost first. */
    private List<ConnectionOptions> chain() {
        List<ConnectionOptions> chain = new ArrayList<>();
        chain.add(this);
        for (CommandSpec group = mixee.parent(); group != null; group = group.parent()) {
            for (CommandSpec mixin : group.mixins().values()) {
                if (mixin.userObject() instanceof ConnectionOptions options) {
                    chain.add(options);
                }
            }
        }
        return chain;
    }

    private static Map<String, String> environment() {
        return System.getenv();
    }

    private PrintWriter err() {
        return mixee.commandLine().getErr();
    }
}
