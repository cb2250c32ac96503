package dev.autopartition.flyway;

import dev.autopartition.AutoPartition;
import dev.autopartition.AutoPartitionException;
import dev.autopartition.AutoPartitionSpec;
import dev.autopartition.MaintenanceReport;
import dev.autopartition.PartitionBounds;
import dev.autopartition.PartitionInfo;
import dev.autopartition.Plan;
import dev.autopartition.TableName;
import dev.autopartition.TableReport;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * One change a partitioning migration makes. Each knows its canonical text (what the checksum is computed from: every
 * option that changes what the database ends up with, and nothing else), whether it can run inside Flyway's
 * transaction, its plan, and how to carry itself out.
 */
sealed interface Operation {

    /** The canonical text of the change; equal texts mean the same change. */
    String canonical();

    /**
     * Whether the change belongs in Flyway's transaction. Changes that detach partitions do not: outside a transaction
     * the engine detaches concurrently and commits each step, inside one it holds ACCESS EXCLUSIVE on the parent until
     * Flyway commits.
     */
    boolean transactional();

    /** What the change would do now. */
    Plan plan(AutoPartition engine);

    /** Carries the change out and says what it did. */
    String apply(AutoPartition engine);

    /** Declares or alters the auto-partition rule of a table. */
    record Declare(AutoPartitionSpec spec) implements Operation {
        public Declare {
            Objects.requireNonNull(spec, "spec");
        }

        @Override
        public String canonical() {
            List<String> lines = new ArrayList<>();
            lines.add("autoPartition");
            lines.add("table=" + spec.table().quoted());
            lines.add("column=" + spec.column());
            lines.add("increment=" + spec.increment());
            add(lines, "initialLowerBound", spec.initialLowerBound());
            lines.add("timeZone=" + spec.timeZone().getId());
            lines.add("minimumAdvancePartitions=" + spec.minimumAdvancePartitions());
            lines.add("maximumAdvancePartitions=" + spec.maximumAdvancePartitions());
            add(lines, "retention", spec.retention());
            lines.add("retentionAction=" + spec.retentionAction().name());
            add(lines, "retentionSchema", spec.retentionSchema());
            lines.add("defaultPartition=" + spec.defaultPartition());
            add(lines, "namingPattern", spec.namingPattern());
            lines.add("enabled=" + spec.enabled());
            return String.join("\n", lines);
        }

        @Override
        public boolean transactional() {
            return true;
        }

        @Override
        public Plan plan(AutoPartition engine) {
            return engine.planAutoPartition(spec);
        }

        @Override
        public String apply(AutoPartition engine) {
            TableReport report = engine.autoPartition(spec);
            if (!report.errors().isEmpty()) {
                throw new AutoPartitionException(
                        "The rule of " + spec.table() + " was saved, but its first" + " maintenance failed: " + report);
            }
            return "auto-partition rule of " + spec.table() + " saved (" + spec.column() + " by " + spec.increment()
                    + "); " + report;
        }
    }

    /** Creates one partition explicitly. */
    record Create(TableName parent, @Nullable String name, PartitionBounds bounds) implements Operation {
        public Create {
            Objects.requireNonNull(parent, "parent");
            Objects.requireNonNull(bounds, "bounds");
        }

        @Override
        public String canonical() {
            List<String> lines = new ArrayList<>();
            lines.add("createPartition");
            lines.add("parent=" + parent.quoted());
            add(lines, "name", name);
            if (bounds instanceof PartitionBounds.Range range) {
                lines.add("from=" + range.from());
                lines.add("to=" + range.to());
            } else if (bounds instanceof PartitionBounds.Values values) {
                values.values().forEach(v -> lines.add("value=" + v));
            } else if (bounds instanceof PartitionBounds.Hash hash) {
                lines.add("modulus=" + hash.modulus());
                lines.add("remainder=" + hash.remainder());
            } else {
                lines.add("default");
            }
            return String.join("\n", lines);
        }

        @Override
        public boolean transactional() {
            return true;
        }

        @Override
        public Plan plan(AutoPartition engine) {
            return engine.planCreatePartition(parent, name, bounds);
        }

        @Override
        public String apply(AutoPartition engine) {
            PartitionInfo created = engine.createPartition(parent, name, bounds);
            return "created partition " + created.name() + " of " + parent + " " + created.bound();
        }
    }

    /** Removes a table's auto-partition rule; its partitions stay. */
    record DropRule(TableName table) implements Operation {
        public DropRule {
            Objects.requireNonNull(table, "table");
        }

        @Override
        public String canonical() {
            return "dropAutoPartition\ntable=" + table.quoted();
        }

        @Override
        public boolean transactional() {
            return true;
        }

        @Override
        public Plan plan(AutoPartition engine) {
            return engine.planDropAutoPartition(table);
        }

        @Override
        public String apply(AutoPartition engine) {
            return engine.dropAutoPartition(table)
                    ? "removed the auto-partition rule of " + table + "; its partitions stay"
                    : table + " had no auto-partition rule; nothing to remove";
        }
    }

    /** Detaches and drops one partition. */
    record DropPartition(TableName partition) implements Operation {
        public DropPartition {
            Objects.requireNonNull(partition, "partition");
        }

        @Override
        public String canonical() {
            return "dropPartition\npartition=" + partition.quoted();
        }

        @Override
        public boolean transactional() {
            return false;
        }

        @Override
        public Plan plan(AutoPartition engine) {
            return engine.planDropPartition(partition);
        }

        @Override
        public String apply(AutoPartition engine) {
            engine.dropPartition(partition);
            return "detached and dropped partition " + partition;
        }
    }

    /** Runs maintenance on every managed table, or on one. */
    record Maintain(@Nullable TableName table) implements Operation {
        @Override
        public String canonical() {
            TableName only = table;
            return only == null ? "maintain" : "maintain\ntable=" + only.quoted();
        }

        @Override
        public boolean transactional() {
            return false;
        }

        @Override
        public Plan plan(AutoPartition engine) {
            TableName only = table;
            return only == null ? engine.plan() : engine.plan(only);
        }

        @Override
        public String apply(AutoPartition engine) {
            TableName only = table;
            MaintenanceReport report = only == null ? engine.maintain() : engine.maintain(only);
            if (report.hasErrors()) {
                throw new AutoPartitionException("Maintenance failed: " + report);
            }
            return report.toString();
        }
    }

    private static void add(List<String> lines, String key, @Nullable String value) {
        if (value != null) {
            lines.add(key + "=" + value);
        }
    }
}
