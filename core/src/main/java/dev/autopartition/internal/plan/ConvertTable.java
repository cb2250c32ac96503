package dev.autopartition.internal.plan;

import dev.autopartition.TableName;
import java.util.List;

/**
 * Turn an empty plain table into a range-partitioned table of the same name, carrying over its columns, defaults,
 * constraints, indexes, sequences, owner, grants and comments.
 *
 * @param statements the statements, prepared from the catalog by {@code TableConversion}
 */
public record ConvertTable(TableName parent, String column, List<String> statements, List<String> notes)
        implements Step {
    public ConvertTable {
        statements = List.copyOf(statements);
        notes = List.copyOf(notes);
    }

    @Override
    public String describe() {
        return "convert the empty plain table " + parent + " into a table partitioned by range (" + column + ")";
    }
}
