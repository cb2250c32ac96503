package dev.autopartition.cli;

import dev.autopartition.Durations;
import dev.autopartition.MaintenanceReport;
import dev.autopartition.MigrationStatus;
import dev.autopartition.PartitionInfo;
import dev.autopartition.TableName;
import dev.autopartition.TableReport;
import dev.autopartition.TableStatus;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/** How results are printed: text for people, JSON for scripts. */
final class Reports {
    private static final Pattern SIMPLE = Pattern.compile("[a-z_][a-z0-9_$]*");

    private Reports() {}

    /** One summary line, then one line per table that changed, was skipped or failed. */
    static String maintenance(MaintenanceReport report) {
        StringBuilder out = new StringBuilder("maintenance in ")
                .append(report.duration().toMillis())
                .append(" ms: ");
        if (report.tables().isEmpty()) {
            out.append("nothing to do");
        } else {
            out.append(report.created())
                    .append(report.created() == 1 ? " partition" : " partitions")
                    .append(" created, ")
                    .append(report.removed())
                    .append(" removed")
                    .append(report.hasErrors() ? ", with errors" : "");
        }
        out.append('\n');
        for (TableReport t : report.tables()) {
            if (t.skipped() != null && !t.skipped().equals("nothing to do")) {
                out.append("  ")
                        .append(t.table())
                        .append(": skipped (")
                        .append(t.skipped())
                        .append(")\n");
            }
            list(out, t, "created", t.created());
            list(out, t, "detached", t.detached());
            list(out, t, "dropped", t.dropped());
            list(out, t, "moved", t.moved());
            list(out, t, "moved to tablespace", t.tiered());
            if (t.movedRows() > 0) {
                out.append("  ")
                        .append(t.table())
                        .append(": ")
                        .append(t.movedRows())
                        .append(" rows moved out of the default partition\n");
            }
            for (String error : t.errors()) {
                out.append("  ")
                        .append(t.table())
                        .append(": error: ")
                        .append(error)
                        .append('\n');
            }
        }
        return out.toString();
    }

    private static void list(StringBuilder out, TableReport t, String what, List<String> names) {
        if (!names.isEmpty()) {
            out.append("  ")
                    .append(t.table())
                    .append(": ")
                    .append(what)
                    .append(' ')
                    .append(String.join(", ", names))
                    .append('\n');
        }
    }

    /** The managed tables as a table for people. */
    static String status(List<TableStatus> tables, String catalogSchema) {
        if (tables.isEmpty()) {
            return "No managed tables (catalog schema " + catalogSchema + ").\n";
        }
        TextTable text = new TextTable(
                "TABLE",
                "KEY",
                "INCREMENT",
                "PARTITIONS",
                "AHEAD",
                "FROM",
                "TO",
                "DEFAULT ROWS",
                "LAST MAINTAINED",
                "STATE");
        for (TableStatus t : tables) {
            text.row(
                    t.table().toString(),
                    t.column(),
                    t.increment().toString(),
                    Integer.toString(t.partitions()),
                    ahead(t),
                    orDash(t.oldestBound()),
                    orDash(t.newestBound()),
                    t.defaultRows() == null ? "-" : t.defaultRows().toString(),
                    t.lastMaintainedAt() == null
                            ? "never"
                            : t.lastMaintainedAt()
                                    .truncatedTo(ChronoUnit.SECONDS)
                                    .toString(),
                    state(t));
        }
        StringBuilder out = new StringBuilder(text.toString());
        for (TableStatus t : tables) {
            if (t.placement() != null) {
                out.append(t.table())
                        .append(" is a Citus table: ")
                        .append(t.placement())
                        .append('\n');
            }
        }
        return out.toString();
    }

    /** Whole partitions ahead of the current one, of the minimum; "none" when no partition holds the current time. */
    static String ahead(TableStatus t) {
        return (t.advancePartitions() < 0 ? "none" : Long.toString(t.advancePartitions())) + "/"
                + t.minimumAdvancePartitions();
    }

    static String state(TableStatus t) {
        if (!t.enabled()) {
            return "disabled";
        }
        if (t.healthy()) {
            return "ok";
        }
        List<String> problems = new ArrayList<>();
        if (t.advancePartitions() < 0) {
            problems.add("no partition for now");
        } else if (t.advancePartitions() < t.minimumAdvancePartitions()) {
            problems.add("too few partitions ahead");
        }
        if (t.defaultRows() != null && t.defaultRows() > 0) {
            problems.add("rows in the default partition");
        }
        return "attention: " + String.join(", ", problems) + " (run maintain)";
    }

    private static String orDash(@Nullable String value) {
        return value == null ? "-" : value;
    }

    static Map<String, @Nullable Object> json(TableStatus t) {
        Map<String, @Nullable Object> m = new LinkedHashMap<>();
        m.put("schema", t.table().schema());
        m.put("table", t.table().name());
        m.put("column", t.column());
        m.put("increment", t.increment().toString());
        m.put("enabled", t.enabled());
        m.put("partitions", t.partitions());
        m.put("advancePartitions", t.advancePartitions());
        m.put("minimumAdvancePartitions", t.minimumAdvancePartitions());
        m.put("oldestBound", t.oldestBound());
        m.put("newestBound", t.newestBound());
        if (t.placement() != null) {
            m.put("citus", t.placement());
        }
        m.put("defaultRows", t.defaultRows());
        m.put(
                "lastMaintainedAt",
                t.lastMaintainedAt() == null ? null : t.lastMaintainedAt().toString());
        m.put("lastChange", t.lastChange());
        m.put("healthy", t.healthy());
        m.put("state", state(t));
        return m;
    }

    /** A partition as one line: the quoted name, a tab, and the bound as PostgreSQL prints it. */
    static String partition(PartitionInfo p) {
        return p.name() + "\t" + p.bound();
    }

    /** A migration's progress for people, one fact per line. */
    static String migration(MigrationStatus s) {
        StringBuilder out = new StringBuilder();
        line(out, "table", s.table().toString());
        line(out, "phase", s.phase() + " (" + s.strategy().name().toLowerCase(Locale.ROOT) + ")");
        line(out, "rows copied", Progress.count(s.rowsCopied()) + " of ~" + Progress.count(s.rowsEstimate()));
        line(out, "rows replayed", Progress.count(s.rowsReplayed()));
        line(out, "backlog", Progress.count(s.backlog()));
        line(out, "partitions", s.partitionsAttached() + " of " + s.partitions() + " attached");
        if (s.cutoverAttempts() > 0) {
            line(out, "cutover attempts", Integer.toString(s.cutoverAttempts()));
        }
        if (s.cutoverLockMillis() != null) {
            line(out, "cutover lock held", String.format(Locale.ROOT, "%.1f ms", s.cutoverLockMillis()));
        }
        if (s.eta() != null) {
            line(out, "eta", Durations.format(s.eta()) + " (at the average rate, while a runner is active)");
        }
        if (s.fallingBehind() != null) {
            line(
                    out,
                    "falling behind",
                    "since " + s.fallingBehind().since() + ": "
                            + s.fallingBehind().reason());
        }
        if (s.message() != null) {
            line(out, "note", s.message());
        }
        return out.toString();
    }

    private static void line(StringBuilder out, String label, String value) {
        out.append(String.format(Locale.ROOT, "%-19s %s%n", label + ":", value));
    }

    static Map<String, @Nullable Object> json(MigrationStatus s) {
        Map<String, @Nullable Object> m = new LinkedHashMap<>();
        m.put("schema", s.table().schema());
        m.put("table", s.table().name());
        m.put("strategy", s.strategy().name());
        m.put("phase", s.phase().name());
        m.put("rowsEstimate", s.rowsEstimate());
        m.put("rowsCopied", s.rowsCopied());
        m.put("rowsReplayed", s.rowsReplayed());
        m.put("rowsPerSecond", Math.round(s.rowsPerSecond()));
        m.put("etaSeconds", s.eta() == null ? null : s.eta().toSeconds());
        m.put("backlog", s.backlog());
        m.put("partitions", s.partitions());
        m.put("partitionsAttached", s.partitionsAttached());
        m.put("cutoverAttempts", s.cutoverAttempts());
        m.put("cutoverLockMillis", s.cutoverLockMillis());
        m.put("message", s.message());
        m.put(
                "fallingBehindSince",
                s.fallingBehind() == null ? null : s.fallingBehind().since().toString());
        m.put(
                "fallingBehind",
                s.fallingBehind() == null ? null : s.fallingBehind().reason());
        return m;
    }

    /** A table as a shell argument: {@code public.chat_messages}, or its quoted SQL form in single quotes. */
    static String argument(TableName table) {
        if (SIMPLE.matcher(table.schema()).matches()
                && SIMPLE.matcher(table.name()).matches()) {
            return table.schema() + "." + table.name();
        }
        return "'" + table.quoted().replace("'", "'\\''") + "'";
    }

    /** The "next:" line of a migration's status. */
    static String nextLine(MigrationStatus s) {
        StringBuilder out = new StringBuilder();
        line(out, "next", next(s));
        return out.toString();
    }

    /** What to do after a migration command, by the phase it left the migration in. */
    static String next(MigrationStatus s) {
        String table = " --table " + argument(s.table());
        return switch (s.phase()) {
            case PREPARED, BACKFILLED -> "continue with 'autopartition migrate resume' and the same options";
            case VERIFIED ->
                "cut over with 'autopartition migrate cutover" + table + "', or stop with"
                        + " 'autopartition migrate abort" + table + "'";
            case CUT_OVER ->
                "check the application, then 'autopartition migrate finalize" + table
                        + "' (drops the original, which is kept in step until then), or 'autopartition migrate undo"
                        + table + "' to swap it back";
            case FINALIZED -> "nothing: the migration is finished";
            default -> "nothing: the original table is as it was";
        };
    }
}
