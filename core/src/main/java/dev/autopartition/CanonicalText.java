package dev.autopartition;

import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/** Builds a canonical text: a first line naming the operation, then {@code key=value} lines. */
final class CanonicalText {
    private final List<String> lines = new ArrayList<>();

    CanonicalText(String operation) {
        lines.add(operation);
    }

    CanonicalText line(String line) {
        lines.add(line);
        return this;
    }

    CanonicalText add(String key, @Nullable String value) {
        if (value != null) {
            lines.add(key + "=" + value);
        }
        return this;
    }

    void rule(AutoPartitionSpec spec) {
        add("table", spec.table().quoted());
        add("column", spec.column());
        add("increment", spec.increment().toString());
        add("initialLowerBound", spec.initialLowerBound());
        add("timeZone", spec.timeZone().getId());
        add("minimumAdvancePartitions", String.valueOf(spec.minimumAdvancePartitions()));
        add("maximumAdvancePartitions", String.valueOf(spec.maximumAdvancePartitions()));
        add("retention", spec.retention());
        add("retentionAction", spec.retentionAction().name());
        add("retentionSchema", spec.retentionSchema());
        add("defaultPartition", String.valueOf(spec.defaultPartition()));
        add("namingPattern", spec.namingPattern());
        add("enabled", String.valueOf(spec.enabled()));
        add("tierAfter", spec.tierAfter());
        add("tierTablespace", spec.tierTablespace());
        add("autocreateExpression", spec.autocreateExpression());
    }

    @Override
    public String toString() {
        return String.join("\n", lines);
    }
}
