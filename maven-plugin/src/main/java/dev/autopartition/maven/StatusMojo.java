package dev.autopartition.maven;

import dev.autopartition.AutoPartition;
import dev.autopartition.TableName;
import dev.autopartition.TableStatus;
import java.util.List;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;
import org.jspecify.annotations.Nullable;

/** Logs the state of every managed table (or {@code <table>}): partitions, how many lie ahead, and its health. */
@Mojo(name = "status", requiresProject = false, threadSafe = true)
public final class StatusMojo extends AbstractAutoPartitionMojo {
    /** Fail the build when a table needs attention: too few partitions ahead, or rows in its default partition. */
    @Parameter(property = "autopartition.failOnUnhealthy", defaultValue = "false")
    boolean failOnUnhealthy;

    @Override
    void run(AutoPartition ap, @Nullable TableName only) throws MojoFailureException {
        List<TableStatus> tables = ap.status().stream()
                .filter(t -> only == null || t.table().equals(only))
                .toList();
        if (tables.isEmpty()) {
            getLog().info("autopartition: no managed tables (catalog schema " + ap.catalogSchema() + ")");
        }
        long unhealthy = 0;
        for (TableStatus t : tables) {
            boolean attention = t.enabled() && !t.healthy();
            unhealthy += attention ? 1 : 0;
            String line = "autopartition: " + t.table() + " by " + t.column() + " (" + t.increment() + "): "
                    + t.partitions() + " partitions, " + t.advancePartitions() + " ahead (minimum "
                    + t.minimumAdvancePartitions() + "), from " + t.oldestBound() + " to " + t.newestBound()
                    + (t.defaultRows() == null ? "" : ", " + t.defaultRows() + " rows in the default partition")
                    + ", last maintained " + (t.lastMaintainedAt() == null ? "never" : t.lastMaintainedAt()) + ": "
                    + (!t.enabled() ? "disabled" : t.healthy() ? "ok" : "needs attention (run maintain)");
            if (attention) {
                getLog().warn(line);
            } else {
                getLog().info(line);
            }
        }
        if (failOnUnhealthy && unhealthy > 0) {
            throw new MojoFailureException(unhealthy + " table(s) need attention (see above). Fix: run the maintain"
                    + " goal, or schedule maintenance.");
        }
    }
}
