package dev.autopartition.spring.boot;

import dev.autopartition.HealthFinding;
import dev.autopartition.HealthReport;
import dev.autopartition.LastRun;
import dev.autopartition.MigrationHealth;
import dev.autopartition.TableHealth;
import dev.autopartition.TableName;
import dev.autopartition.TableStatus;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/** The health indicator's details, the same for every Spring Boot line. */
final class HealthDetails {
    private HealthDetails() {}

    /** How a table is named in details and metric tags: {@code schema.table}, unquoted. */
    static String key(TableName table) {
        return table.schema() + "." + table.name();
    }

    static Map<String, Object> of(HealthReport report) {
        Map<String, Object> details = new LinkedHashMap<>();
        Map<String, Object> tables = new LinkedHashMap<>();
        for (TableHealth table : report.tables()) {
            tables.put(key(table.table()), table(table));
        }
        details.put("tables", tables);
        if (!report.migrations().isEmpty()) {
            Map<String, Object> migrations = new LinkedHashMap<>();
            for (MigrationHealth migration : report.migrations()) {
                migrations.put(key(migration.table()), migration(migration));
            }
            details.put("migrations", migrations);
        }
        if (!report.findings().isEmpty()) {
            List<String> findings =
                    report.findings().stream().map(HealthFinding::toString).toList();
            details.put("findings", findings);
        }
        return details;
    }

    private static Map<String, Object> table(TableHealth table) {
        TableStatus status = table.status();
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("partitions", status.partitions());
        out.put("advancePartitions", status.advancePartitions());
        out.put("minimumAdvancePartitions", status.minimumAdvancePartitions());
        putIfPresent(out, "oldestBound", status.oldestBound());
        putIfPresent(out, "newestBound", status.newestBound());
        putIfPresent(out, "defaultRows", status.defaultRows());
        LastRun last = table.lastRun();
        if (last != null) {
            out.put(
                    "lastRun",
                    last.outcome() + " at " + last.startedAt() + (last.detail() == null ? "" : ": " + last.detail()));
        }
        return out;
    }

    private static Map<String, Object> migration(MigrationHealth migration) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("phase", migration.status().phase().name());
        out.put("rowsCopied", migration.status().rowsCopied());
        out.put("rowsEstimate", migration.status().rowsEstimate());
        out.put("backlog", migration.status().backlog());
        out.put("secondsSinceProgress", migration.sinceProgress().toSeconds());
        out.put("stuck", migration.stuck());
        return out;
    }

    private static void putIfPresent(Map<String, Object> out, String key, @Nullable Object value) {
        if (value != null) {
            out.put(key, value);
        }
    }
}
