package dev.autopartition.internal.migrate;

import dev.autopartition.AutoPartitionSpec;
import dev.autopartition.MigrationSpec;
import dev.autopartition.RetentionAction;
import dev.autopartition.TableName;
import java.sql.Connection;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/** The partitioning rule of a migration, stored with it so a later cutover needs nothing but the table's name. */
final class SpecJson {
    private SpecJson() {}

    static String write(AutoPartitionSpec spec) {
        return object(fields(spec));
    }

    /** The rule and the migration's pacing budgets; {@link #readPacing} reads the budgets back. */
    static String write(MigrationSpec spec) {
        Map<String, @Nullable String> fields = fields(spec.partitioning());
        fields.put("pacing", Boolean.toString(spec.pacing()));
        fields.put("latencyBudget", Double.toString(spec.latencyBudget()));
        fields.put("latencyFloor", spec.latencyFloor().toString());
        fields.put("standbyLagBudget", spec.standbyLagBudget().toString());
        return object(fields);
    }

    /** Sets the stored pacing budgets on a builder; a migration stored before they existed keeps the defaults. */
    static MigrationSpec.Builder readPacing(
            Connection connection, MigrationStore store, long id, MigrationSpec.Builder builder) {
        String pacing = store.spec(connection, id, "pacing");
        String latencyBudget = store.spec(connection, id, "latencyBudget");
        String latencyFloor = store.spec(connection, id, "latencyFloor");
        String standbyLagBudget = store.spec(connection, id, "standbyLagBudget");
        if (pacing != null) {
            builder.pacing(Boolean.parseBoolean(pacing));
        }
        if (latencyBudget != null) {
            builder.latencyBudget(Double.parseDouble(latencyBudget));
        }
        if (latencyFloor != null) {
            builder.latencyFloor(Duration.parse(latencyFloor));
        }
        if (standbyLagBudget != null) {
            builder.standbyLagBudget(Duration.parse(standbyLagBudget));
        }
        return builder;
    }

    private static Map<String, @Nullable String> fields(AutoPartitionSpec spec) {
        Map<String, @Nullable String> fields = new LinkedHashMap<>();
        fields.put("column", spec.column());
        fields.put("increment", spec.increment().toString());
        fields.put("initialLowerBound", spec.initialLowerBound());
        fields.put("timeZone", spec.timeZone().getId());
        fields.put("minimumAdvancePartitions", Integer.toString(spec.minimumAdvancePartitions()));
        fields.put("maximumAdvancePartitions", Integer.toString(spec.maximumAdvancePartitions()));
        fields.put("retention", spec.retention());
        fields.put("retentionAction", spec.retentionAction().name().toLowerCase(Locale.ROOT));
        fields.put("retentionSchema", spec.retentionSchema());
        fields.put("defaultPartition", Boolean.toString(spec.defaultPartition()));
        fields.put("namingPattern", spec.namingPattern());
        fields.put("enabled", Boolean.toString(spec.enabled()));
        fields.put("tierAfter", spec.tierAfter());
        fields.put("tierTablespace", spec.tierTablespace());
        fields.put("autocreateExpression", spec.autocreateExpression());
        return fields;
    }

    /** A JSON object of string fields; null values are left out. */
    static String object(Map<String, @Nullable String> fields) {
        StringBuilder json = new StringBuilder("{");
        for (Map.Entry<String, @Nullable String> field : fields.entrySet()) {
            if (field.getValue() == null) {
                continue;
            }
            if (json.length() > 1) {
                json.append(", ");
            }
            json.append('"')
                    .append(field.getKey())
                    .append("\": \"")
                    .append(escape(field.getValue()))
                    .append('"');
        }
        return json.append('}').toString();
    }

    private static String escape(String value) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '"' || c == '\\') {
                out.append('\\').append(c);
            } else if (c < 0x20) {
                out.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }

    static AutoPartitionSpec read(Connection connection, MigrationStore store, long id, TableName table) {
        String column = require(store.spec(connection, id, "column"));
        return AutoPartitionSpec.builder(table, column)
                .increment(require(store.spec(connection, id, "increment")))
                .initialLowerBound(store.spec(connection, id, "initialLowerBound"))
                .timeZone(require(store.spec(connection, id, "timeZone")))
                .minimumAdvancePartitions(
                        Integer.parseInt(require(store.spec(connection, id, "minimumAdvancePartitions"))))
                .maximumAdvancePartitions(
                        Integer.parseInt(require(store.spec(connection, id, "maximumAdvancePartitions"))))
                .retention(store.spec(connection, id, "retention"))
                .retentionAction(RetentionAction.parse(require(store.spec(connection, id, "retentionAction"))))
                .retentionSchema(store.spec(connection, id, "retentionSchema"))
                .defaultPartition(Boolean.parseBoolean(store.spec(connection, id, "defaultPartition")))
                .namingPattern(store.spec(connection, id, "namingPattern"))
                .enabled(Boolean.parseBoolean(store.spec(connection, id, "enabled")))
                .tierAfter(store.spec(connection, id, "tierAfter"))
                .tierTablespace(store.spec(connection, id, "tierTablespace"))
                .autocreateExpression(store.spec(connection, id, "autocreateExpression"))
                .build();
    }

    private static String require(@Nullable String value) {
        if (value == null) {
            throw new IllegalStateException("incomplete migration spec in the catalog");
        }
        return value;
    }
}
