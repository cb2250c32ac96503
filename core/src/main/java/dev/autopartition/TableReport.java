package dev.autopartition;

import java.time.Duration;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * What one maintenance run did to one table.
 *
 * @param created the partitions created and attached
 * @param detached the partitions detached and kept (retention action detach)
 * @param dropped the partitions detached and dropped
 * @param moved the partitions detached and moved to the retention schema
 * @param movedRows rows moved out of the default partition into their own partitions
 * @param skipped why the table was skipped (busy, standby, disabled, gone), or null
 * @param errors what failed; the table's remaining steps were left for the next run
 * @param tiered the partitions moved (with their indexes) to the tier tablespace
 */
public record TableReport(
        TableName table,
        List<String> created,
        List<String> detached,
        List<String> dropped,
        List<String> moved,
        long movedRows,
        @Nullable String skipped,
        List<String> errors,
        Duration duration,
        List<String> tiered) {

    public TableReport {
        created = List.copyOf(created);
        detached = List.copyOf(detached);
        dropped = List.copyOf(dropped);
        moved = List.copyOf(moved);
        errors = List.copyOf(errors);
        tiered = List.copyOf(tiered);
    }

    /** A report without tiering. */
    public TableReport(
            TableName table,
            List<String> created,
            List<String> detached,
            List<String> dropped,
            List<String> moved,
            long movedRows,
            @Nullable String skipped,
            List<String> errors,
            Duration duration) {
        this(table, created, detached, dropped, moved, movedRows, skipped, errors, duration, List.of());
    }

    /** A report for a table that was skipped. */
    public static TableReport skipped(TableName table, String why) {
        return new TableReport(table, List.of(), List.of(), List.of(), List.of(), 0, why, List.of(), Duration.ZERO);
    }

    /** A report for a table maintenance could not even plan (its autocreate expression failed, for example). */
    public static TableReport failed(TableName table, String error) {
        return new TableReport(
                table, List.of(), List.of(), List.of(), List.of(), 0, null, List.of(error), Duration.ZERO);
    }

    /** Whether the run changed anything. */
    public boolean changedSomething() {
        return !created.isEmpty()
                || !detached.isEmpty()
                || !dropped.isEmpty()
                || !moved.isEmpty()
                || !tiered.isEmpty()
                || movedRows > 0;
    }

    @Override
    public String toString() {
        StringBuilder out = new StringBuilder(table.toString()).append(':');
        if (skipped != null) {
            return out.append(" skipped (").append(skipped).append(')').toString();
        }
        out.append(" created ")
                .append(created.size())
                .append(", detached ")
                .append(detached.size())
                .append(", dropped ")
                .append(dropped.size())
                .append(", moved ")
                .append(moved.size());
        if (!tiered.isEmpty()) {
            out.append(", tiered ").append(tiered.size());
        }
        if (movedRows > 0) {
            out.append(", ").append(movedRows).append(" rows moved out of the default partition");
        }
        errors.forEach(e -> out.append("\n  error: ").append(e));
        return out.append(" in ").append(duration.toMillis()).append(" ms").toString();
    }
}
