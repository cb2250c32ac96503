package dev.autopartition;

import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/**
 * One thing autopartition can be asked to do, as a value. Every front end (Liquibase change types, Flyway migrations,
 * the CLI, the Maven goals) turns its input into an operation and hands it to {@link AutoPartition#apply} or, for a
 * dry run, {@link AutoPartition#plan(Operation)}; nothing else differs between them.
 *
 * <pre>{@code
 * Operation.DeclareRule declare = new Operation.DeclareRule(spec);
 * System.out.println(ap.plan(declare).toSql());   // what it would do
 * TableReport report = ap.apply(declare);          // do it
 * }</pre>
 *
 * @param <R> what carrying the operation out returns
 */
public sealed interface Operation<R>
        permits Operation.DeclareRule,
                Operation.DropRule,
                Operation.CreatePartition,
                Operation.DropPartition,
                Operation.FindPartition,
                Operation.Maintain,
                Operation.Migrate,
                Operation.MigrationStep,
                Operation.InstallDatabaseMaintenance,
                Operation.UninstallDatabaseMaintenance {

    /**
     * The operation's canonical text: every option that changes what the database ends up with, one {@code key=value}
     * a line, and nothing else (tuning is left out). Equal texts mean the same change; a migration tool can checksum
     * it. Options that are absent add no line, so texts written before an option existed stay the same.
     */
    String canonical();

    /**
     * Whether the operation can run inside a transaction the caller keeps open. Those that cannot commit as they go
     * (maintenance, migration) or detach partitions, which outside a transaction is done concurrently and inside one
     * holds ACCESS EXCLUSIVE on the parent until the caller commits.
     */
    boolean transactional();

    /**
     * What the operation would do now, without doing it. {@link AutoPartition#plan(Operation)} calls this; call that.
     */
    Plan planOn(AutoPartition engine);

    /** Carries the operation out. {@link AutoPartition#apply(Operation)} calls this; call that. */
    R applyTo(AutoPartition engine);

    /** Declares or alters the auto-partition rule of a table, then maintains it ({@link AutoPartition#autoPartition}). */
    record DeclareRule(AutoPartitionSpec spec) implements Operation<TableReport> {
        public DeclareRule {
            Objects.requireNonNull(spec, "spec");
        }

        @Override
        public String canonical() {
            CanonicalText text = new CanonicalText("autoPartition");
            text.rule(spec);
            return text.toString();
        }

        @Override
        public boolean transactional() {
            return true;
        }

        @Override
        public Plan planOn(AutoPartition engine) {
            return engine.planAutoPartition(spec);
        }

        @Override
        public TableReport applyTo(AutoPartition engine) {
            return engine.autoPartition(spec);
        }
    }

    /** Removes a table's auto-partition rule; its partitions stay. Returns whether it had one. */
    record DropRule(TableName table) implements Operation<Boolean> {
        public DropRule {
            Objects.requireNonNull(table, "table");
        }

        @Override
        public String canonical() {
            return new CanonicalText("dropAutoPartition")
                    .add("table", table.quoted())
                    .toString();
        }

        @Override
        public boolean transactional() {
            return true;
        }

        @Override
        public Plan planOn(AutoPartition engine) {
            return engine.planDropAutoPartition(table);
        }

        @Override
        public Boolean applyTo(AutoPartition engine) {
            return engine.dropAutoPartition(table);
        }
    }

    /**
     * Creates one partition as a standalone table and attaches it.
     *
     * @param name the partition's name, or null for one from the naming pattern
     */
    record CreatePartition(TableName parent, @Nullable String name, PartitionBounds bounds)
            implements Operation<PartitionInfo> {
        public CreatePartition {
            Objects.requireNonNull(parent, "parent");
            Objects.requireNonNull(bounds, "bounds");
        }

        @Override
        public String canonical() {
            CanonicalText text = new CanonicalText("createPartition");
            text.add("parent", parent.quoted()).add("name", name);
            if (bounds instanceof PartitionBounds.Range range) {
                text.add("from", range.from()).add("to", range.to());
            } else if (bounds instanceof PartitionBounds.Values values) {
                values.values().forEach(v -> text.add("value", v));
            } else if (bounds instanceof PartitionBounds.Hash hash) {
                text.add("modulus", String.valueOf(hash.modulus())).add("remainder", String.valueOf(hash.remainder()));
            } else {
                text.line("default");
            }
            return text.toString();
        }

        @Override
        public boolean transactional() {
            return true;
        }

        @Override
        public Plan planOn(AutoPartition engine) {
            return engine.planCreatePartition(parent, name, bounds);
        }

        @Override
        public PartitionInfo applyTo(AutoPartition engine) {
            return engine.createPartition(parent, name, bounds);
        }
    }

    /** Detaches one partition (concurrently where PostgreSQL allows it) and drops it. Returns the partition. */
    record DropPartition(TableName partition) implements Operation<TableName> {
        public DropPartition {
            Objects.requireNonNull(partition, "partition");
        }

        @Override
        public String canonical() {
            return new CanonicalText("dropPartition")
                    .add("partition", partition.quoted())
                    .toString();
        }

        @Override
        public boolean transactional() {
            return false;
        }

        @Override
        public Plan planOn(AutoPartition engine) {
            return engine.planDropPartition(partition);
        }

        @Override
        public TableName applyTo(AutoPartition engine) {
            engine.dropPartition(partition);
            return partition;
        }
    }

    /** Finds the partition that holds a key value ({@link AutoPartition#findPartition}); changes nothing. */
    record FindPartition(TableName table, String value) implements Operation<Optional<PartitionInfo>> {
        public FindPartition {
            Objects.requireNonNull(table, "table");
            Objects.requireNonNull(value, "value");
        }

        @Override
        public String canonical() {
            return new CanonicalText("findPartition")
                    .add("table", table.quoted())
                    .add("value", value)
                    .toString();
        }

        @Override
        public boolean transactional() {
            return true;
        }

        @Override
        public Plan planOn(AutoPartition engine) {
            return new Plan(
                    List.of(),
                    List.of("Finding the partition of " + table + " that holds " + value
                            + " reads the catalog and changes nothing."));
        }

        @Override
        public Optional<PartitionInfo> applyTo(AutoPartition engine) {
            return engine.findPartition(table, value);
        }
    }

    /**
     * Runs maintenance now.
     *
     * @param table one table, or null for every managed table
     */
    record Maintain(@Nullable TableName table) implements Operation<MaintenanceReport> {
        @Override
        public String canonical() {
            TableName only = table;
            return new CanonicalText("maintain")
                    .add("table", only == null ? null : only.quoted())
                    .toString();
        }

        @Override
        public boolean transactional() {
            return false;
        }

        @Override
        public Plan planOn(AutoPartition engine) {
            TableName only = table;
            return only == null ? engine.plan() : engine.plan(only);
        }

        @Override
        public MaintenanceReport applyTo(AutoPartition engine) {
            TableName only = table;
            return only == null ? engine.maintain() : engine.maintain(only);
        }
    }

    /**
     * Migrates a plain table with rows into a partitioned one online ({@link AutoPartition#migrateToPartitioned}), or
     * resumes the migration where it stopped. Once it has cut over, planning it again gives an empty plan and applying
     * it again returns its status: a rerun is not an error.
     */
    record Migrate(MigrationSpec spec) implements Operation<MigrationStatus> {
        private static final Set<MigrationPhase> DONE = EnumSet.of(MigrationPhase.CUT_OVER, MigrationPhase.FINALIZED);

        public Migrate {
            Objects.requireNonNull(spec, "spec");
        }

        /**
         * The rule, the strategy, whether to cut over, the widened foreign keys and which periods get partitions: what
         * the table ends up as. The
         * tuning ({@code batchSize}, {@code parallelism}, {@code pause}, {@code cutoverLockTimeout}, {@code
         * cutoverAttempts}, the pacing budgets) is left out, so it can be changed before a rerun.
         */
        @Override
        public String canonical() {
            CanonicalText text = new CanonicalText("migrateToPartitioned");
            text.rule(spec.partitioning());
            text.add("strategy", spec.strategy().name()).add("cutover", String.valueOf(spec.cutover()));
            if (spec.skipEmptyPeriods()) { // only when set, so migrations written before it keep their checksums
                text.add("skipEmptyPeriods", "true");
            }
            new TreeMap<>(spec.keyColumns())
                    .forEach((constraint, column) -> text.add("foreignKeyKeyColumn", constraint + "=" + column));
            return text.toString();
        }

        @Override
        public boolean transactional() {
            return false;
        }

        @Override
        public Plan planOn(AutoPartition engine) {
            Optional<MigrationStatus> status = engine.migrationStatus(spec.table());
            if (status.isPresent() && DONE.contains(status.get().phase())) {
                return new Plan(
                        List.of(),
                        List.of("The migration of " + spec.table() + " is "
                                + status.get().phase() + "; nothing left to do."));
            }
            return engine.planMigration(spec);
        }

        @Override
        public MigrationStatus applyTo(AutoPartition engine) {
            Optional<MigrationStatus> status = engine.migrationStatus(spec.table());
            if (status.isPresent() && status.get().phase() == MigrationPhase.FINALIZED) {
                return status.get();
            }
            return engine.migrateToPartitioned(spec);
        }
    }

    /** A step of a migration that needs nothing but the table: the rest was recorded when it started. */
    record MigrationStep(TableName table, Step step) implements Operation<MigrationStatus> {
        /** The steps. */
        public enum Step {
            /** {@link AutoPartition#cutover}. */
            CUTOVER,
            /** {@link AutoPartition#undoMigration}. */
            UNDO,
            /** {@link AutoPartition#finalizeMigration}; done once is done, a rerun returns the status. */
            FINALIZE,
            /** {@link AutoPartition#abortMigration}. */
            ABORT
        }

        public MigrationStep {
            Objects.requireNonNull(table, "table");
            Objects.requireNonNull(step, "step");
        }

        @Override
        public String canonical() {
            return new CanonicalText(
                            switch (step) {
                                case CUTOVER -> "cutover";
                                case UNDO -> "undoMigration";
                                case FINALIZE -> "finalizeMigration";
                                case ABORT -> "abortMigration";
                            })
                    .add("table", table.quoted())
                    .toString();
        }

        @Override
        public boolean transactional() {
            return false; // each commits its own short transactions (an attach migration's finalize drops concurrently)
        }

        /**
         * Finalize has a full plan. Cutover, undo and abort run statements that were planned (and shown by {@code
         * planMigration}) when the migration started, so their dry run says where the migration stands.
         */
        @Override
        public Plan planOn(AutoPartition engine) {
            if (step == Step.FINALIZE) {
                return engine.planFinalizeMigration(table);
            }
            String where = engine.migrationStatus(table)
                    .map(MigrationStatus::toString)
                    .orElse("no migration of " + table + " is recorded");
            return new Plan(
                    List.of(),
                    List.of(step.name().toLowerCase(Locale.ROOT) + " of the migration of " + table
                            + " runs the statements planned when it started; now: " + where));
        }

        @Override
        public MigrationStatus applyTo(AutoPartition engine) {
            return switch (step) {
                case CUTOVER -> engine.cutover(table);
                case UNDO -> engine.undoMigration(table);
                case FINALIZE -> {
                    Optional<MigrationStatus> status = engine.migrationStatus(table);
                    yield status.isPresent() && status.get().phase() == MigrationPhase.FINALIZED
                            ? status.get()
                            : engine.finalizeMigration(table);
                }
                case ABORT -> engine.abortMigration(table);
            };
        }
    }

    /**
     * Installs (or replaces) in-database maintenance, scheduled with pg_cron when a schedule is given.
     *
     * @param cronSchedule a pg_cron schedule, or null to install the procedure only
     */
    record InstallDatabaseMaintenance(@Nullable String cronSchedule) implements Operation<DatabaseMaintenanceStatus> {
        @Override
        public String canonical() {
            return new CanonicalText("installDatabaseMaintenance")
                    .add("cron", cronSchedule)
                    .toString();
        }

        @Override
        public boolean transactional() {
            return true;
        }

        @Override
        public Plan planOn(AutoPartition engine) {
            String schedule = cronSchedule;
            return schedule == null ? engine.planInstallDatabaseMaintenance() : engine.planScheduleWithPgCron(schedule);
        }

        @Override
        public DatabaseMaintenanceStatus applyTo(AutoPartition engine) {
            String schedule = cronSchedule;
            if (schedule == null) {
                engine.installDatabaseMaintenance();
            } else {
                engine.scheduleWithPgCron(schedule);
            }
            return engine.databaseMaintenanceStatus();
        }
    }

    /** Removes in-database maintenance (its pg_cron job and procedure). Returns whether there was anything. */
    record UninstallDatabaseMaintenance() implements Operation<Boolean> {
        @Override
        public String canonical() {
            return "uninstallDatabaseMaintenance";
        }

        @Override
        public boolean transactional() {
            return true;
        }

        @Override
        public Plan planOn(AutoPartition engine) {
            return engine.planUninstallDatabaseMaintenance();
        }

        @Override
        public Boolean applyTo(AutoPartition engine) {
            return engine.uninstallDatabaseMaintenance();
        }
    }
}
