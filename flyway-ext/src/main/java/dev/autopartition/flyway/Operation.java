package dev.autopartition.flyway;

import dev.autopartition.AutoPartition;
import dev.autopartition.AutoPartitionException;
import dev.autopartition.AutoPartitionSpec;
import dev.autopartition.MaintenanceReport;
import dev.autopartition.MigrationPhase;
import dev.autopartition.MigrationSpec;
import dev.autopartition.MigrationStatus;
import dev.autopartition.PartitionBounds;
import dev.autopartition.PartitionInfo;
import dev.autopartition.Plan;
import dev.autopartition.PlannedStatement;
import dev.autopartition.PlannedStep;
import dev.autopartition.TableName;
import dev.autopartition.TableReport;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;
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

    /**
     * The first statement of the plan that would wait for Flyway's own open transaction (see {@link FlywayLockGuard}),
     * if any. By default every statement outside a transaction block except a concurrent detach.
     */
    default Optional<PlannedStatement> waitsForFlyway(Plan plan) {
        return FlywayLockGuard.waitsForOlderTransactions(plan);
    }

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
            rule(lines, spec);
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

    /** Installs in-database maintenance, scheduled with pg_cron when a schedule is given. */
    record InstallDatabaseMaintenance(@Nullable String cronSchedule) implements Operation {
        @Override
        public String canonical() {
            String schedule = cronSchedule;
            return schedule == null ? "installDatabaseMaintenance" : "installDatabaseMaintenance\ncron=" + schedule;
        }

        @Override
        public boolean transactional() {
            return true;
        }

        @Override
        public Plan plan(AutoPartition engine) {
            String schedule = cronSchedule;
            return schedule == null ? engine.planInstallDatabaseMaintenance() : engine.planScheduleWithPgCron(schedule);
        }

        @Override
        public String apply(AutoPartition engine) {
            String schedule = cronSchedule;
            if (schedule == null) {
                engine.installDatabaseMaintenance();
                return "in-database maintenance installed: CALL "
                        + engine.databaseMaintenanceStatus().procedure() + "()";
            }
            return "in-database maintenance installed and scheduled with pg_cron at '" + schedule + "' (job "
                    + engine.scheduleWithPgCron(schedule) + ")";
        }
    }

    /** Removes in-database maintenance. */
    record UninstallDatabaseMaintenance() implements Operation {
        @Override
        public String canonical() {
            return "uninstallDatabaseMaintenance";
        }

        @Override
        public boolean transactional() {
            return true;
        }

        @Override
        public Plan plan(AutoPartition engine) {
            return engine.planUninstallDatabaseMaintenance();
        }

        @Override
        public String apply(AutoPartition engine) {
            return engine.uninstallDatabaseMaintenance()
                    ? "in-database maintenance removed"
                    : "in-database maintenance was not installed";
        }
    }

    /**
     * Ends a cut-over migration ({@link AutoPartition#finalizeMigration}): the original table and the migration's
     * helpers are dropped. Done once is done: a finalized migration is not an error on a rerun.
     */
    record FinalizeMigration(TableName table) implements Operation {
        public FinalizeMigration {
            Objects.requireNonNull(table, "table");
        }

        @Override
        public String canonical() {
            return "finalizeMigration\ntable=" + table.quoted();
        }

        @Override
        public boolean transactional() {
            return false; // an attach migration drops its kept index copies concurrently
        }

        @Override
        public Plan plan(AutoPartition engine) {
            return engine.planFinalizeMigration(table);
        }

        @Override
        public String apply(AutoPartition engine) {
            Optional<MigrationStatus> status = engine.migrationStatus(table);
            if (status.isPresent() && status.get().phase() == MigrationPhase.FINALIZED) {
                return "the migration of " + table + " was already finalized";
            }
            return "finalized the migration of " + table + ": " + engine.finalizeMigration(table);
        }
    }

    /**
     * Migrates a plain table with rows into a partitioned one online ({@link AutoPartition#migrateToPartitioned}), or
     * resumes that migration where it stopped.
     */
    record Migrate(MigrationSpec spec) implements Operation {
        /** Statements that wait for every older snapshot, so for Flyway's own open transaction. */
        private static final Pattern WAITS_FOR_SNAPSHOTS =
                Pattern.compile("(?is)\\s*(CREATE\\s+(UNIQUE\\s+)?INDEX\\s+CONCURRENTLY\\s.*"
                        + "|REINDEX\\s.*\\sCONCURRENTLY\\s.*"
                        + "|ALTER\\s+TABLE\\s.*\\sDETACH\\s+PARTITION\\s.*\\sFINALIZE\\s*)");

        private static final Set<MigrationPhase> DONE = EnumSet.of(MigrationPhase.CUT_OVER, MigrationPhase.FINALIZED);

        public Migrate {
            Objects.requireNonNull(spec, "spec");
        }

        /**
         * The rule, the strategy, whether to cut over and the widened foreign keys: what the table ends up as. The
         * tuning ({@code batchSize}, {@code parallelism}, {@code pause}, {@code cutoverLockTimeout}, {@code
         * cutoverAttempts}) is left out, so it can be changed before a rerun.
         */
        @Override
        public String canonical() {
            List<String> lines = new ArrayList<>();
            lines.add("migrateToPartitioned");
            rule(lines, spec.partitioning());
            lines.add("strategy=" + spec.strategy().name());
            lines.add("cutover=" + spec.cutover());
            new TreeMap<>(spec.keyColumns())
                    .forEach((constraint, column) -> lines.add("foreignKeyKeyColumn=" + constraint + "=" + column));
            return String.join("\n", lines);
        }

        @Override
        public boolean transactional() {
            return false;
        }

        /** The migration's plan, or an empty one once it has cut over (a rerun then only reports its status). */
        @Override
        public Plan plan(AutoPartition engine) {
            Optional<MigrationStatus> status = engine.migrationStatus(spec.table());
            if (status.isPresent() && DONE.contains(status.get().phase())) {
                return new Plan(List.of(), List.of());
            }
            return engine.planMigration(spec);
        }

        /**
         * Only the statements that wait for every older snapshot: {@code CREATE INDEX CONCURRENTLY} (the attach
         * strategy builds widened unique indexes so), {@code REINDEX CONCURRENTLY}, {@code DETACH ... FINALIZE}. The
         * migration's other statements outside a transaction block ({@code ANALYZE}, {@code VALIDATE CONSTRAINT},
         * {@code DROP INDEX CONCURRENTLY}) and its trigger, attach and cutover lock do not wait for Flyway's idle
         * transaction (tried on a real run).
         */
        @Override
        public Optional<PlannedStatement> waitsForFlyway(Plan plan) {
            for (PlannedStep step : plan.steps()) {
                for (PlannedStatement statement : step.statements()) {
                    if (WAITS_FOR_SNAPSHOTS.matcher(statement.sql()).matches()) {
                        return Optional.of(statement);
                    }
                }
            }
            return Optional.empty();
        }

        @Override
        public String apply(AutoPartition engine) {
            MigrationStatus status = engine.migrateToPartitioned(spec);
            MigrationPhase expected = spec.cutover() ? MigrationPhase.CUT_OVER : MigrationPhase.VERIFIED;
            if (status.phase() != expected && !DONE.contains(status.phase())) {
                throw new AutoPartitionException("The migration of " + spec.table() + " stopped at " + status.phase()
                        + " instead of " + expected + ": " + status);
            }
            return "migrated " + spec.table() + " to a partitioned table: " + status;
        }
    }

    private static void rule(List<String> lines, AutoPartitionSpec spec) {
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
        // absent options add no line, so the checksums of migrations written before they existed stay the same
        add(lines, "tierAfter", spec.tierAfter());
        add(lines, "tierTablespace", spec.tierTablespace());
        add(lines, "autocreateExpression", spec.autocreateExpression());
    }

    private static void add(List<String> lines, String key, @Nullable String value) {
        if (value != null) {
            lines.add(key + "=" + value);
        }
    }
}
