package dev.autopartition.maven;

import dev.autopartition.AutoPartition;
import dev.autopartition.MaintenanceReport;
import dev.autopartition.Operation;
import dev.autopartition.TableName;
import dev.autopartition.TableReport;
import java.util.List;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugins.annotations.Mojo;
import org.jspecify.annotations.Nullable;

/**
 * Runs maintenance now on every managed table (or {@code <table>}): creates the partitions that should lie ahead,
 * applies retention, moves stray rows out of default partitions. Busy tables are skipped, not waited for.
 */
@Mojo(name = "maintain", requiresProject = false, threadSafe = true)
public final class MaintainMojo extends AbstractAutoPartitionMojo {
    @Override
    void run(AutoPartition ap, @Nullable TableName only) throws MojoExecutionException {
        MaintenanceReport report = ap.apply(new Operation.Maintain(only));
        getLog().info("autopartition: maintenance in " + report.duration().toMillis() + " ms: "
                + (report.tables().isEmpty()
                        ? "nothing to do"
                        : report.created() + " partitions created, " + report.removed() + " removed"));
        for (TableReport t : report.tables()) {
            if (t.skipped() != null && !t.skipped().equals("nothing to do")) {
                getLog().warn("autopartition: " + t.table() + ": skipped (" + t.skipped() + ")");
            }
            log(t, "created", t.created());
            log(t, "detached", t.detached());
            log(t, "dropped", t.dropped());
            log(t, "moved", t.moved());
            log(t, "moved to tablespace", t.tiered());
            if (t.movedRows() > 0) {
                getLog().info("autopartition: " + t.table() + ": " + t.movedRows()
                        + " rows moved out of the default partition");
            }
            t.errors().forEach(e -> getLog().error("autopartition: " + t.table() + ": " + e));
        }
        if (report.hasErrors()) {
            throw new MojoExecutionException("Maintenance failed on "
                    + report.tables().stream()
                            .filter(t -> !t.errors().isEmpty())
                            .count()
                    + " table(s) (the errors are above); the other tables were maintained.");
        }
    }

    private void log(TableReport t, String what, List<String> names) {
        if (!names.isEmpty()) {
            getLog().info("autopartition: " + t.table() + ": " + what + " " + String.join(", ", names));
        }
    }
}
