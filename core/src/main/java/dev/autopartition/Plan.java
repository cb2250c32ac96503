package dev.autopartition;

import java.util.List;

/**
 * What maintenance (or a declaration) would do now, without doing it.
 *
 * @param steps the steps, in the order they would run
 * @param notes things worth knowing that are not steps (tables skipped and why, live-data dependencies)
 */
public record Plan(List<PlannedStep> steps, List<String> notes) {
    public Plan {
        steps = List.copyOf(steps);
        notes = List.copyOf(notes);
    }

    public boolean isEmpty() {
        return steps.isEmpty();
    }

    /** The plan as SQL a person can read or run: each statement with its lock as a comment above it. */
    public String toSql() {
        StringBuilder out = new StringBuilder();
        for (String note : notes) {
            out.append("-- ").append(note).append('\n');
        }
        for (PlannedStep step : steps) {
            out.append("-- ").append(step.action()).append('\n');
            for (PlannedStatement statement : step.statements()) {
                out.append("--   lock: ").append(statement.lock());
                if (!statement.inTransaction()) {
                    out.append(" (outside a transaction block)");
                }
                out.append('\n').append(statement.sql()).append(";\n");
            }
        }
        return out.toString();
    }

    @Override
    public String toString() {
        return toSql();
    }
}
