package dev.autopartition.maven;

import dev.autopartition.AutoPartition;
import dev.autopartition.Operation;
import dev.autopartition.Plan;
import dev.autopartition.TableName;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;
import org.jspecify.annotations.Nullable;

/**
 * Logs the SQL maintenance would run now on every managed table (or {@code <table>}), with the lock each statement
 * takes. Changes nothing.
 */
@Mojo(name = "plan", requiresProject = false, threadSafe = true)
public final class PlanMojo extends AbstractAutoPartitionMojo {
    /** Fail the build when maintenance has work to do (for CI: partitions are missing or due for retention). */
    @Parameter(property = "autopartition.failOnPendingWork", defaultValue = "false")
    boolean failOnPendingWork;

    /** Also write the plan's SQL to this file. */
    @Parameter(property = "autopartition.outputFile")
    @Nullable
    File outputFile;

    @Override
    void run(AutoPartition ap, @Nullable TableName only) throws MojoExecutionException, MojoFailureException {
        Plan plan = ap.plan(new Operation.Maintain(only)); // the dry run of the maintain goal
        String sql = plan.isEmpty() && plan.notes().isEmpty()
                ? "-- Nothing to do: " + (only == null ? "every managed table has" : only + " has")
                        + " the partitions it needs.\n"
                : plan.toSql();
        sql.lines().forEach(getLog()::info);
        if (outputFile != null) {
            write(outputFile, sql);
        }
        if (failOnPendingWork && !plan.isEmpty()) {
            throw new MojoFailureException("Maintenance has " + plan.steps().size() + " step(s) pending (the plan is"
                    + " above). Fix: run the maintain goal, or schedule maintenance.");
        }
    }

    private void write(File file, String sql) throws MojoExecutionException {
        try {
            File dir = file.getAbsoluteFile().getParentFile();
            if (dir != null) {
                Files.createDirectories(dir.toPath());
            }
            Files.writeString(file.toPath(), sql, StandardCharsets.UTF_8);
            getLog().info("autopartition: plan written to " + file);
        } catch (IOException e) {
            throw new MojoExecutionException("Cannot write the plan to " + file + ": " + e.getMessage(), e);
        }
    }
}
