package dev.autopartition.liquibase;

import dev.autopartition.AutoPartitionSpec;
import dev.autopartition.Increment;
import dev.autopartition.RetentionAction;
import dev.autopartition.TableName;
import java.util.function.BiFunction;
import java.util.function.Supplier;
import liquibase.database.Database;
import org.jspecify.annotations.Nullable;

/**
 * The static checks of a {@link RuleChange}'s attributes. Each option is checked on its own, on top of a valid base
 * rule, so the message names the attribute at fault and every bad one is reported.
 */
final class RuleChecks {
    private RuleChecks() {}

    static void check(RuleChange change, Problems problems, Database database) {
        String increment = change.getIncrement();
        problems.require("tableName", change.getTableName(), "name the table to partition.");
        problems.require(
                "columnName",
                change.getColumnName(),
                "name the partition key, a NOT NULL timestamptz, timestamp, date, uuid, smallint, integer or bigint"
                        + " column.");
        problems.require("increment", increment, "set the partition width, such as '1 day', '1 month' or 100000.");
        TableName table = change.resolve(problems, database, change.getTableName(), "tableName");
        String minText = change.getMinimumAdvancePartitions();
        String maxText = change.getMaximumAdvancePartitions();
        Integer min = problems.integer("minimumAdvancePartitions", minText);
        Integer max = problems.integer("maximumAdvancePartitions", maxText);
        problems.bool("defaultPartition", change.getDefaultPartition());
        Boolean on = problems.bool("enabled", change.getEnabled());
        String width = String.valueOf(increment);
        if (table == null
                || problems.hasErrors()
                || !problems.check("increment", increment, () -> Increment.parse(width))) {
            return;
        }
        String column = String.valueOf(change.getColumnName());
        Supplier<AutoPartitionSpec.Builder> base =
                () -> AutoPartitionSpec.builder(table, column).increment(width);
        option(problems, base, "timeZone", change.getTimeZone(), AutoPartitionSpec.Builder::timeZone);
        String action = change.getRetentionAction();
        boolean moves = action != null
                && problems.check("retentionAction", action, () -> RetentionAction.parse(action))
                && RetentionAction.parse(action) == RetentionAction.MOVE;
        if (min != null || max != null) {
            boolean both = min != null && max != null;
            problems.check(
                    both
                            ? "minimumAdvancePartitions/maximumAdvancePartitions"
                            : min != null ? "minimumAdvancePartitions" : "maximumAdvancePartitions",
                    both ? min + "/" + max : min != null ? minText : maxText,
                    () -> advance(base.get(), min, max).build());
        }
        option(problems, base, "retention", change.getRetention(), AutoPartitionSpec.Builder::retention);
        String schema = change.getRetentionSchema();
        if (schema != null || moves) {
            problems.check(
                    "retentionSchema",
                    schema,
                    () -> base.get()
                            .retentionAction(moves ? RetentionAction.MOVE : RetentionAction.DROP)
                            .retentionSchema(schema)
                            .build());
            if (schema != null && !moves) {
                problems.warning(
                        "retentionSchema",
                        schema,
                        "is used only with retentionAction move. Fix: set retentionAction=\"move\" or remove it.");
            }
        }
        change.checkMoreRule(problems, base);
        option(problems, base, "namingPattern", change.getNamingPattern(), AutoPartitionSpec.Builder::namingPattern);
        if (!problems.hasErrors()) {
            problems.check(null, null, () -> change.rule(database));
        }
        if (Boolean.FALSE.equals(on)) {
            problems.warning(
                    "enabled", change.getEnabled(), "maintenance will not act on " + table + " until it is enabled.");
        }
    }

    static AutoPartitionSpec.Builder advance(
            AutoPartitionSpec.Builder rule, @Nullable Integer min, @Nullable Integer max) {
        if (min != null) {
            rule.minimumAdvancePartitions(min);
        }
        if (max != null) {
            rule.maximumAdvancePartitions(max);
        }
        return rule;
    }

    /** Checks one option, when given, on top of a valid base rule; a problem names its attribute. */
    static void option(
            Problems problems,
            Supplier<AutoPartitionSpec.Builder> base,
            String attribute,
            @Nullable String value,
            BiFunction<AutoPartitionSpec.Builder, String, AutoPartitionSpec.Builder> set) {
        if (value != null) {
            problems.check(attribute, value, () -> set.apply(base.get(), value).build());
        }
    }
}
