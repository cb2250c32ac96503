package dev.autopartition.maven;

import dev.autopartition.AutoPartition;
import dev.autopartition.AutoPartitionException;
import dev.autopartition.Durations;
import dev.autopartition.InvalidSpecException;
import dev.autopartition.SpecField;
import dev.autopartition.TableName;
import dev.autopartition.TableStatus;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;
import org.apache.maven.plugin.AbstractMojo;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugins.annotations.Parameter;
import org.jspecify.annotations.Nullable;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * The settings every goal shares, named like the Liquibase and Flyway plugins' ({@code <url>}, {@code <user>},
 * {@code <password>}), each also a user property ({@code -Dautopartition.url=...}). Errors in what the user gave
 * (settings, specs, a table that is not managed) fail the build with a {@link MojoFailureException}; everything
 * else (the database is unreachable, a statement failed) with a {@link MojoExecutionException}.
 */
public abstract class AbstractAutoPartitionMojo extends AbstractMojo {
    /** The engine's options that are settings of the plugin, named alike. */
    private static final Set<SpecField> SETTINGS =
            EnumSet.of(SpecField.TABLE, SpecField.CATALOG_SCHEMA, SpecField.LOCK_TIMEOUT);

    /** The JDBC URL of the database, such as {@code jdbc:postgresql://localhost:5432/app}. */
    @Parameter(property = "autopartition.url")
    @Nullable
    String url;

    /** The database user; default: the one in the URL. */
    @Parameter(property = "autopartition.user")
    @Nullable
    String user;

    /** The user's password; default: the one in the URL, or none. Never logged. */
    @Parameter(property = "autopartition.password")
    @Nullable
    String password;

    /** The schema of the engine's catalog. */
    @Parameter(property = "autopartition.catalogSchema", defaultValue = "autopartition")
    @Nullable
    String catalogSchema;

    /**
     * How long one DDL statement waits for its lock before it is retried, such as {@code 500ms}, {@code 2s} or {@code
     * 500} (milliseconds); the grammar every front end reads ({@link Durations#GRAMMAR}).
     */
    @Parameter(property = "autopartition.lockTimeout")
    @Nullable
    String lockTimeout;

    /** Only this table ({@code schema.table}); default: every managed table. */
    @Parameter(property = "autopartition.table")
    @Nullable
    String table;

    /**
     * Plan as if it were this instant ({@code 2022-01-31T12:00:00Z}): for tests and demonstrations only, since
     * retention counts from it.
     */
    @Parameter(property = "autopartition.now")
    @Nullable
    String now;

    /** Skips the goal. */
    @Parameter(property = "autopartition.skip", defaultValue = "false")
    boolean skip;

    @Override
    public final void execute() throws MojoExecutionException, MojoFailureException {
        if (skip) {
            getLog().info("autopartition: skipped (autopartition.skip)");
            return;
        }
        try {
            AutoPartition ap = autoPartition();
            String only = given(table);
            run(ap, only == null ? null : managed(ap, TableName.parse(only)));
        } catch (InvalidSpecException e) {
            throw new MojoFailureException(setting(e) + e.getMessage(), e);
        } catch (AutoPartitionException e) {
            throw new MojoExecutionException(e.getMessage(), e);
        }
    }

    /** Does the goal's work: maps the settings to an operation (or a status query) and logs what it returns. */
    abstract void run(AutoPartition ap, @Nullable TableName only) throws MojoExecutionException, MojoFailureException;

    /** The engine, configured from the settings. */
    AutoPartition autoPartition() throws MojoFailureException {
        String jdbcUrl = given(url);
        if (jdbcUrl == null) {
            throw new MojoFailureException("No database URL: set <url> in the plugin's configuration, or"
                    + " -Dautopartition.url=jdbc:postgresql://host:5432/database");
        }
        PGSimpleDataSource dataSource = new PGSimpleDataSource();
        try {
            dataSource.setUrl(jdbcUrl);
        } catch (IllegalArgumentException e) {
            throw new MojoFailureException(
                    "<url> is not a PostgreSQL JDBC URL; write it as jdbc:postgresql://host:5432/database");
        }
        Optional.ofNullable(given(user)).ifPresent(dataSource::setUser);
        if (password != null && !password.isEmpty()) { // a password may be blank
            dataSource.setPassword(password);
        }
        dataSource.setApplicationName("autopartition-maven-plugin");
        AutoPartition.Builder builder = AutoPartition.configure(dataSource)
                .catalogSchema(catalogSchema == null ? "autopartition" : catalogSchema);
        String timeout = given(lockTimeout);
        String instant = given(now);
        try {
            if (timeout != null) {
                builder.lockTimeout(Durations.parse(timeout));
            }
        } catch (InvalidSpecException e) {
            throw new MojoFailureException("<lockTimeout> " + e.getMessage(), e);
        }
        try {
            if (instant != null) {
                builder.clock(Clock.fixed(Instant.parse(instant), ZoneOffset.UTC));
            }
        } catch (DateTimeParseException e) {
            throw new MojoFailureException("<now> '" + now + "' is not an instant. Fix: write it in ISO-8601 UTC, such"
                    + " as 2022-01-31T12:00:00Z");
        }
        return builder.build();
    }

    /** The setting bad input was given in, as the POM names it ({@code "<lockTimeout> "}), if it is the plugin's. */
    private static String setting(InvalidSpecException e) {
        return e.field()
                .filter(SETTINGS::contains)
                .map(f -> "<" + f.option() + "> ")
                .orElse("");
    }

    /** A setting that is set: null when absent or blank, else trimmed. */
    private static @Nullable String given(@Nullable String setting) {
        return setting == null || setting.isBlank() ? null : setting.trim();
    }

    /** The table, when it is managed: a typo fails the build rather than finding nothing to do. */
    private static TableName managed(AutoPartition ap, TableName only) throws MojoFailureException {
        if (ap.status().stream().map(TableStatus::table).noneMatch(only::equals)) {
            throw new MojoFailureException(only + " is not managed by autopartition: catalog schema "
                    + ap.catalogSchema() + " has no rule for it. Fix: check <table> (schema.table), or declare its"
                    + " rule first (Liquibase autoPartition, Flyway, or the Java API).");
        }
        return only;
    }
}
