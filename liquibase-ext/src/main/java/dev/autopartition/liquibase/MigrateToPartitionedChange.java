package dev.autopartition.liquibase;

import dev.autopartition.AutoPartition;
import dev.autopartition.InvalidSpecException;
import dev.autopartition.MigrationPhase;
import dev.autopartition.MigrationSpec;
import dev.autopartition.MigrationStatus;
import dev.autopartition.MigrationStrategy;
import dev.autopartition.Operation;
import dev.autopartition.SpecField;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import liquibase.change.Change;
import liquibase.change.ChangeMetaData;
import liquibase.change.DatabaseChange;
import liquibase.change.DatabaseChangeProperty;
import liquibase.changelog.ChangeSet;
import liquibase.database.Database;
import liquibase.parser.core.ParsedNode;
import liquibase.parser.core.ParsedNodeException;
import liquibase.resource.ResourceAccessor;
import liquibase.statement.SqlStatement;
import org.jspecify.annotations.Nullable;

/**
 * Migrates a plain table with live traffic into a range-partitioned table of the same name, online ({@link
 * AutoPartition#migrateToPartitioned}): the new table is built beside the original while changes are recorded, loaded
 * in batches, caught up and compared, then swapped in by one short cutover transaction. The rule attributes are those
 * of {@code autoPartition}; after the cutover the table is registered with that rule, so maintenance takes over.
 *
 * <p>The migration commits many small transactions (each copy batch with its cursor), so the change set must say
 * {@code runInTransaction="false"}. A change set that failed (a cutover that did not get its lock, a killed process)
 * is not recorded by Liquibase and runs again on the next {@code update}; the engine then resumes from the phase and
 * the cursors it recorded.
 *
 * <p>Rollback: the original table, kept in step since the cutover, is swapped back ({@link
 * AutoPartition#undoMigration}; nothing written since the cutover is lost), then the migration's helpers are dropped
 * ({@link AutoPartition#abortMigration}), unless an earlier change set of the changelog prepared the migration with
 * {@code cutover="false"}: then the migration goes back to that state. Impossible after {@code finalizeMigration}.
 */
@DatabaseChange(
        name = "migrateToPartitioned",
        description = "Migrates a plain table with live traffic into a range-partitioned table of the same name,"
                + " online and resumably; needs runInTransaction=\"false\"",
        priority = ChangeMetaData.PRIORITY_DEFAULT,
        appliesTo = "table",
        since = "0.1")
public class MigrateToPartitionedChange extends RuleChange {
    private @Nullable String strategy;
    private @Nullable String foreignKeyKeyColumns;
    private @Nullable String cutover;
    private @Nullable String pause;
    private @Nullable String cutoverLockTimeout;
    private @Nullable String cutoverAttempts;
    private @Nullable String skipEmptyPeriods;
    private @Nullable String pacing;
    private @Nullable String latencyBudget;
    private @Nullable String latencyFloor;
    private @Nullable String standbyLagBudget;

    @DatabaseChangeProperty(
            description = "copy (default: every row is copied into its own partition) or attach (the table becomes"
                    + " one legacy partition, nothing is copied)",
            exampleValue = "copy",
            requiredForDatabase = "none",
            supportsDatabase = "postgresql")
    public @Nullable String getStrategy() {
        return strategy;
    }

    public void setStrategy(@Nullable String strategy) {
        this.strategy = strategy;
    }

    @DatabaseChangeProperty(
            description = "For inbound foreign keys on columns that will no longer be unique: constraint=column pairs,"
                    + " comma-separated, naming the referencing table's column that holds the partition key",
            exampleValue = "chat_messages_chat_id_fkey=chat_created_at",
            requiredForDatabase = "none",
            supportsDatabase = "postgresql")
    public @Nullable String getForeignKeyKeyColumns() {
        return foreignKeyKeyColumns;
    }

    public void setForeignKeyKeyColumns(@Nullable String foreignKeyKeyColumns) {
        this.foreignKeyKeyColumns = foreignKeyKeyColumns;
    }

    @DatabaseChangeProperty(
            description = "Whether to cut over as soon as the table is verified; default true. false stops before the"
                    + " cutover, which a later migrateToPartitioned of the table (with cutover true) does",
            requiredForDatabase = "none",
            supportsDatabase = "postgresql")
    public @Nullable String getCutover() {
        return cutover;
    }

    public void setCutover(@Nullable String cutover) {
        this.cutover = cutover;
    }

    @DatabaseChangeProperty(
            description = "A pause between copy batches (50ms, 1s); default none. Not part of the checksum",
            requiredForDatabase = "none",
            supportsDatabase = "postgresql")
    public @Nullable String getPause() {
        return pause;
    }

    public void setPause(@Nullable String pause) {
        this.pause = pause;
    }

    @DatabaseChangeProperty(
            description = "How long one cutover attempt waits for its lock on the table; default 300ms. Not part of"
                    + " the checksum",
            requiredForDatabase = "none",
            supportsDatabase = "postgresql")
    public @Nullable String getCutoverLockTimeout() {
        return cutoverLockTimeout;
    }

    public void setCutoverLockTimeout(@Nullable String cutoverLockTimeout) {
        this.cutoverLockTimeout = cutoverLockTimeout;
    }

    @DatabaseChangeProperty(
            description = "How many cutover attempts, with backoff; default 20. Not part of the checksum",
            requiredForDatabase = "none",
            supportsDatabase = "postgresql")
    public @Nullable String getCutoverAttempts() {
        return cutoverAttempts;
    }

    public void setCutoverAttempts(@Nullable String cutoverAttempts) {
        this.cutoverAttempts = cutoverAttempts;
    }

    @DatabaseChangeProperty(
            description = "true makes partitions only for the periods that hold rows, the current one, the one before"
                    + " it and the advance window, instead of every period from the oldest row to now (default"
                    + " false). Backdated writes into a skipped period go to the default partition, or fail without"
                    + " one",
            requiredForDatabase = "none",
            supportsDatabase = "postgresql")
    public @Nullable String getSkipEmptyPeriods() {
        return skipEmptyPeriods;
    }

    public void setSkipEmptyPeriods(@Nullable String skipEmptyPeriods) {
        this.skipEmptyPeriods = skipEmptyPeriods;
    }

    @DatabaseChangeProperty(
            description = "Whether the copy, verification and replay are paced by the latency and standby-lag budgets;"
                    + " default true. false runs at the pace of batchSize, pause and parallelism alone. Not part of"
                    + " the checksum",
            requiredForDatabase = "none",
            supportsDatabase = "postgresql")
    public @Nullable String getPacing() {
        return pacing;
    }

    public void setPacing(@Nullable String pacing) {
        this.pacing = pacing;
    }

    @DatabaseChangeProperty(
            description = "How much slower the application may get: a multiple of a probe's latency measured before"
                    + " the work (1.5); default 1.5. Not part of the checksum",
            exampleValue = "1.5",
            requiredForDatabase = "none",
            supportsDatabase = "postgresql")
    public @Nullable String getLatencyBudget() {
        return latencyBudget;
    }

    public void setLatencyBudget(@Nullable String latencyBudget) {
        this.latencyBudget = latencyBudget;
    }

    @DatabaseChangeProperty(
            description = "The least latency budget, against noise on a fast probe (2ms); default 2ms. Not part of"
                    + " the checksum",
            requiredForDatabase = "none",
            supportsDatabase = "postgresql")
    public @Nullable String getLatencyFloor() {
        return latencyFloor;
    }

    public void setLatencyFloor(@Nullable String latencyFloor) {
        this.latencyFloor = latencyFloor;
    }

    @DatabaseChangeProperty(
            description = "How far behind any standby may fall (1s, 5s); default 1s. Not part of the checksum",
            exampleValue = "1s",
            requiredForDatabase = "none",
            supportsDatabase = "postgresql")
    public @Nullable String getStandbyLagBudget() {
        return standbyLagBudget;
    }

    public void setStandbyLagBudget(@Nullable String standbyLagBudget) {
        this.standbyLagBudget = standbyLagBudget;
    }

    /** The pacing attributes as they were written. */
    Tuning.Pacing pacingAttributes() {
        return new Tuning.Pacing(pacing, latencyBudget, latencyFloor, standbyLagBudget);
    }

    // ---------------------------------------------------------------- loading

    /** YAML and JSON may give {@code foreignKeyKeyColumns} as a map or a list ({@link KeyColumns#asText}). */
    @Override
    public void load(ParsedNode parsedNode, ResourceAccessor resourceAccessor) throws ParsedNodeException {
        KeyColumns.asText(parsedNode);
        super.load(parsedNode, resourceAccessor);
    }

    /** Parses {@code foreignKeyKeyColumns} ({@link KeyColumns#parse}). */
    static Map<String, String> parseKeyColumns(String text) {
        return KeyColumns.parse(text);
    }

    // ---------------------------------------------------------------- behaviour

    @Override
    void checkStatic(Problems problems, Database database) {
        ChangeSet changeSet = getChangeSet();
        if (!outsideTransaction(
                        problems,
                        ". The migration commits many small transactions (each copy batch with its cursor, so that a"
                                + " rerun resumes) and one short cutover transaction, which Liquibase's transaction"
                                + " around the change set would prevent.",
                        ", and keep migrateToPartitioned alone in its change set")
                && changeSet != null
                && changeSet.getChanges().size() > 1) {
            problems.warning(
                    null,
                    null,
                    "is not alone in change set " + changeSet.getId() + ". Outside a transaction every change of the"
                            + " set commits on its own, and when the migration fails (a cutover that does not get its"
                            + " lock), the whole change set runs again on the next update. Fix: give"
                            + " migrateToPartitioned a change set of its own.");
        }
        checkRule(problems, database);
        if (strategy != null) {
            String value = strategy;
            problems.check("strategy", value, () -> strategyOf(value));
        }
        problems.bool("cutover", cutover);
        problems.bool("skipEmptyPeriods", skipEmptyPeriods);
        if (foreignKeyKeyColumns != null) {
            String pairs = foreignKeyKeyColumns;
            problems.check("foreignKeyKeyColumns", pairs, () -> parseKeyColumns(pairs));
        }
        Tuning.checkMigration(problems, pause, cutoverLockTimeout, cutoverAttempts);
        if (pacingAttributes().parses(problems) && !problems.hasErrors()) {
            pacingAttributes().checkValues(problems, rule(database));
        }
    }

    private static MigrationStrategy strategyOf(@Nullable String text) {
        return switch (text == null ? "copy" : text.trim().toLowerCase(Locale.ROOT)) {
            case "copy" -> MigrationStrategy.COPY;
            case "attach" -> MigrationStrategy.ATTACH;
            default ->
                throw new InvalidSpecException(
                        SpecField.STRATEGY,
                        "Unknown strategy '" + text + "'. Fix: use copy (rows are copied into their partitions) or"
                                + " attach (the table becomes one legacy partition).");
        };
    }

    boolean cutsOver() {
        return cutover == null || !Boolean.FALSE.equals(Problems.parseBoolean(cutover));
    }

    /** The migration this change asks for, once the attributes are valid. */
    @Override
    Operation.Migrate operation(Database database) {
        MigrationSpec.Builder b =
                MigrationSpec.builder(rule(database)).cutover(cutsOver()).strategy(strategyOf(strategy));
        b.skipEmptyPeriods(skipEmptyPeriods != null && Boolean.TRUE.equals(Problems.parseBoolean(skipEmptyPeriods)));
        tuning().migration(b, pause, cutoverLockTimeout, cutoverAttempts);
        pacingAttributes().apply(b);
        if (foreignKeyKeyColumns != null) {
            parseKeyColumns(foreignKeyKeyColumns).forEach(b::foreignKeyKeyColumn);
        }
        return new Operation.Migrate(b.build());
    }

    @Override
    void checkDatabase(AutoPartition engine, Database database, Problems problems) {
        Optional<MigrationStatus> status = engine.migrationStatus(table(database));
        if (MigrationRun.resumes(status)) {
            MigrationStrategy wanted = strategyOf(strategy);
            if (status.get().strategy() != wanted) {
                throw new InvalidSpecException(
                        SpecField.STRATEGY,
                        "The migration of " + table(database) + " under way uses strategy "
                                + status.get().strategy()
                                + ", not " + wanted + ". Fix: set strategy to "
                                + status.get().strategy().name().toLowerCase(Locale.ROOT) + " to resume it.");
            }
            return; // the engine resumes it; the table is no longer what a new migration would plan from
        }
        if (status.isPresent() && status.get().phase() == MigrationPhase.FINALIZED) {
            return; // migrated and finalized already: the change reports it
        }
        super.checkDatabase(engine, database, problems);
    }

    /** The engine speaks Java ({@code foreignKeyKeyColumn("x", column)}); the changelog's attribute is added. */
    @Override
    Problems problems(Database database) {
        Problems problems = super.problems(database);
        KeyColumns.hint(problems.errors());
        return problems;
    }

    /**
     * The migrated table, and with {@code foreignKeyKeyColumns} any table: the cutover re-points foreign keys of
     * tables this change does not name (by constraint only), so later changes' checks wait until it has run.
     */
    @Override
    boolean names(String table) {
        return super.names(table) || foreignKeyKeyColumns != null;
    }

    @Override
    String willDo(Database database) {
        return "migrate " + table(database) + " online into a table partitioned by range (" + getColumnName() + "),"
                + " one partition per " + getIncrement() + " (strategy "
                + (strategy == null ? "copy" : strategy.trim().toLowerCase(Locale.ROOT)) + "): record changes, "
                + "copy the rows in batches, catch up, compare, and "
                + (cutsOver() ? "cut over in one short transaction" : "stop before the cutover (cutover=\"false\")")
                + "; the statements depend on the table's rows, keys and constraints then";
    }

    @Override
    String preview(AutoPartition engine, Database database) {
        return MigrationRun.preview(table(database), engine, () -> super.preview(engine, database));
    }

    @Override
    String execute(AutoPartition engine, Database database) {
        return MigrationRun.execute(this, engine, table(database), () -> engine.apply(operation(database)));
    }

    // ---------------------------------------------------------------- rollback

    @Override
    @Nullable
    String rollbackImpossible() {
        return null; // decided when the rollback runs: impossible only after finalizeMigration
    }

    @Override
    protected Change[] createInverses() {
        return new Change[0];
    }

    @Override
    public SqlStatement[] generateRollbackStatements(Database database) {
        return MigrationRun.rollback(this, database);
    }
}
