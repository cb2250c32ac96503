package dev.autopartition.maven;

import dev.autopartition.AutoPartition;
import dev.autopartition.AutoPartitionException;
import dev.autopartition.InvalidSpecException;
import dev.autopartition.TableName;
import dev.autopartition.TableStatus;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
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

    /** How long one DDL statement waits for its lock before it is retried, such as {@code 500ms} or {@code 2s}. */
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
        AutoPartition ap = autoPartition();
        try {
            TableName only = table == null || table.isBlank() ? null : TableName.parse(table);
            if (only != null) {
                requireManaged(ap, only);
            }
            run(ap, only);
        } catch (InvalidSpecException e) {
            throw new MojoFailureException(e.getMessage(), e);
        } catch (AutoPartitionException e) {
            throw new MojoExecutionException(e.getMessage(), e);
        }
    }

    /** Does the goal's work. */
    abstract void run(AutoPartition ap, @Nullable TableName only) throws MojoExecutionException, MojoFailureException;

    /** The engine, configured from the settings. */
    AutoPartition autoPartition() throws MojoFailureException {
        if (url == null || url.isBlank()) {
            throw new MojoFailureException("No database URL: set <url> in the plugin's configuration, or"
                    + " -Dautopartition.url=jdbc:postgresql://host:5432/database");
        }
        PGSimpleDataSource dataSource = new PGSimpleDataSource();
        try {
            dataSource.setUrl(url);
        } catch (IllegalArgumentException e) {
            throw new MojoFailureException(
                    "<url> is not a PostgreSQL JDBC URL; write it as" + " jdbc:postgresql://host:5432/database");
        }
        if (user != null && !user.isBlank()) {
            dataSource.setUser(user);
        }
        if (password != null && !password.isEmpty()) {
            dataSource.setPassword(password);
        }
        dataSource.setApplicationName("autopartition-maven-plugin");
        try {
            AutoPartition.Builder builder = AutoPartition.configure(dataSource)
                    .catalogSchema(catalogSchema == null ? "autopartition" : catalogSchema);
            if (lockTimeout != null && !lockTimeout.isBlank()) {
                builder.lockTimeout(Durations.parse(lockTimeout));
            }
            if (now != null && !now.isBlank()) {
                builder.clock(Clock.fixed(Instant.parse(now.trim()), ZoneOffset.UTC));
            }
            return builder.build();
        } catch (IllegalArgumentException | InvalidSpecException e) {
            throw new MojoFailureException("<lockTimeout> " + e.getMessage(), e);
        } catch (DateTimeParseException e) {
            throw new MojoFailureException("<now> '" + now + "' is not an instant; write it in ISO-8601 UTC, such as"
                    + " 2022-01-31T12:00:00Z");
        }
    }

    private static void requireManaged(AutoPartition ap, TableName only) throws MojoFailureException {
        if (ap.status().stream().map(TableStatus::table).noneMatch(only::equals)) {
            throw new MojoFailureException(only + " is not managed by autopartition: catalog schema "
                    + ap.catalogSchema() + " has no rule for it. Fix: check <table> (schema.table), or declare its"
                    + " rule first (Liquibase autoPartition, Flyway, or the Java API).");
        }
    }
}
