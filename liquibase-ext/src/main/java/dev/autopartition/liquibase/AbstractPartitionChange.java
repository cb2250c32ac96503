package dev.autopartition.liquibase;

import dev.autopartition.AutoPartition;
import dev.autopartition.AutoPartitionException;
import dev.autopartition.InvalidSpecException;
import dev.autopartition.Operation;
import java.sql.Connection;
import java.util.List;
import java.util.Set;
import liquibase.ChecksumVersion;
import liquibase.change.AbstractChange;
import liquibase.change.DatabaseChange;
import liquibase.changelog.ChangeSet;
import liquibase.database.Database;
import liquibase.database.core.PostgresDatabase;
import liquibase.database.jvm.JdbcConnection;
import liquibase.exception.RollbackImpossibleException;
import liquibase.exception.ValidationErrors;
import liquibase.exception.Warnings;
import liquibase.parser.core.ParsedNode;
import liquibase.parser.core.ParsedNodeException;
import liquibase.resource.ResourceAccessor;
import liquibase.statement.SqlStatement;
import org.jspecify.annotations.Nullable;

/**
 * What the autopartition change types share. A change does nothing itself: it builds a typed request for the engine
 * and
 *
 * <ul>
 *   <li>in {@code update} runs it on Liquibase's connection (an {@link EngineStatement});
 *   <li>in {@code update-sql} prints the engine's plan (its exact DDL, each statement with its lock), or comments for
 *       what cannot be known before the change runs (a {@link PreviewStatement});
 *   <li>in {@code validate} checks the request, first without the database, then against it (inside a savepoint that
 *       is rolled back) unless an earlier change set of the same update may still create or change the table.
 * </ul>
 *
 * <p>Every attribute is a string in Java, so that the change reports a bad number or boolean itself (naming the
 * attribute) and the checksum is the same whether the changelog is XML, YAML or JSON. Tuning attributes ({@code
 * lockTimeout}, {@code attempts}, {@code batchSize}) do not change the resulting schema and are left out of the
 * checksum.
 */
public abstract class AbstractPartitionChange extends AbstractChange {
    /** The XML namespace of the change types. */
    public static final String NAMESPACE = "http://autopartition.dev/xml/ns/autopartition";

    /** The newest XSD; it resolves offline from the jar. */
    public static final String XSD_LATEST = "http://autopartition.dev/xml/ns/autopartition/autopartition-latest.xsd";

    /** The XSD of version 0.1. */
    public static final String XSD_0_1 = "http://autopartition.dev/xml/ns/autopartition/autopartition-0.1.xsd";
    /** The XSD of version 0.2: tiering, the autocreate expression and uuid keys. */
    public static final String XSD_0_2 = "http://autopartition.dev/xml/ns/autopartition/autopartition-0.2.xsd";

    /**
     * Tuning attributes of every change type; the migration's own are pause, the cutover's lock budget and the pacing
     * budgets.
     */
    private static final List<String> NOT_IN_CHECKSUM = List.of(
            "lockTimeout",
            "attempts",
            "batchSize",
            "pause",
            "cutoverLockTimeout",
            "cutoverAttempts",
            "pacing",
            "latencyBudget",
            "latencyFloor",
            "standbyLagBudget");

    private final Set<String> unknownAttributes = new java.util.TreeSet<>();
    private @Nullable String confirmation;
    /**
     * What validation found about earlier change sets: validation runs before anything of the update runs, when
     * Liquibase's history still tells which change sets are pending; update-sql then records each printed change set as
     * ran, so the answer is kept from validation. Empty string: nothing earlier touches the tables.
     */
    private @Nullable String deferral;

    // ---------------------------------------------------------------- what each change type supplies

    /** Checks that need no database; they report to {@code problems}. */
    abstract void checkStatic(Problems problems, Database database);

    /** What the change asks of the engine, once the static checks passed: its attributes as a core operation. */
    abstract Operation<?> operation(Database database);

    /**
     * Checks against the database, inside a rolled-back savepoint; called only when the static checks passed. By
     * default the engine plans the operation.
     *
     * @throws InvalidSpecException for a problem the engine found; its {@link InvalidSpecException#field() field}
     *     names the attribute
     */
    void checkDatabase(AutoPartition engine, Database database, Problems problems) {
        engine.plan(operation(database));
    }

    /** The tables (names as written) the change works on, for finding earlier changes that may create them. */
    List<String> tablesUsed() {
        return List.of();
    }

    /** Whether the change names a table of this name (so an earlier one of ours may touch a later one's table). */
    boolean names(String tableName) {
        return false;
    }

    /** One line: what the change does to what, such as {@code autoPartition of "public"."events" ...}. */
    abstract String describe(Database database);

    /** What the change will do, in words, for {@code update-sql} when its DDL cannot be planned in advance. */
    abstract String willDo(Database database);

    /**
     * What {@code update-sql} prints for the change, inside a dry run: the engine's plan of the operation, which is
     * where every dry run comes from; a change type may add comments around it.
     */
    String preview(AutoPartition engine, Database database) {
        return engine.plan(operation(database)).toSql();
    }

    /** Runs the change (applies its operation); returns what it did, for the log and the confirmation message. */
    abstract String execute(AutoPartition engine, Database database);

    /** The change's tuning attributes. */
    Tuning tuning() {
        return Tuning.NONE;
    }

    // ---------------------------------------------------------------- Liquibase

    @Override
    public boolean supports(Database database) {
        return database instanceof PostgresDatabase;
    }

    @Override
    public Warnings warn(Database database) {
        return new Warnings();
    }

    /** Always true: what the engine does depends on the catalog and the clock when the change runs. */
    @Override
    public boolean generateStatementsVolatile(Database database) {
        return true;
    }

    @Override
    public boolean generateRollbackStatementsVolatile(Database database) {
        return true;
    }

    @Override
    public String getSerializedObjectNamespace() {
        return NAMESPACE;
    }

    /** Tuning knobs leave the checksum, so changing them does not fail later updates. */
    @Override
    public String[] getExcludedFieldFilters(ChecksumVersion version) {
        return NOT_IN_CHECKSUM.toArray(new String[0]);
    }

    /** YAML turns an unquoted 2022-01-01 into a date; it becomes the text it was, so checksums match XML's. */
    @Override
    public void load(ParsedNode parsedNode, ResourceAccessor resourceAccessor) throws ParsedNodeException {
        Attributes.datesAsText(parsedNode);
        super.load(parsedNode, resourceAccessor);
    }

    @Override
    protected void customLoadLogic(ParsedNode parsedNode, ResourceAccessor resourceAccessor)
            throws ParsedNodeException {
        Set<String> known = Attributes.names(this);
        for (ParsedNode child : parsedNode.getChildren()) {
            if (!known.contains(child.getName())) {
                unknownAttributes.add(child.getName());
            }
        }
    }

    @Override
    public ValidationErrors validate(Database database) {
        ValidationErrors errors = new ValidationErrors(this);
        Problems problems = problems(database);
        problems.errors().forEach(errors::addError);
        problems.warnings().forEach(errors::addWarning);
        return errors;
    }

    /** Every validation problem of this change. */
    Problems problems(Database database) {
        Problems problems = new Problems(where());
        if (!(database instanceof PostgresDatabase)) {
            problems.error(
                    null,
                    null,
                    "autopartition works on PostgreSQL only, and this database is " + database.getDisplayName()
                            + ". Fix: add dbms=\"postgresql\" to the change set.");
            return problems;
        }
        for (String unknown : unknownAttributes) {
            problems.error(
                    unknown,
                    null,
                    "is not an attribute of " + changeName() + ". Fix: use " + Attributes.closest(this, unknown)
                            + " if that is what you meant; the attributes are "
                            + String.join(", ", Attributes.names(this)) + ".");
        }
        tuning().check(problems);
        checkStatic(problems, database);
        Connection connection = jdbc(database);
        String by = deferredBy(database);
        deferral = by == null ? "" : by;
        if (problems.hasErrors() || connection == null || by != null) {
            return problems;
        }
        try {
            DryRun.run(connection, c -> {
                checkDatabase(tuning().engine(c), database, problems);
                return Boolean.TRUE;
            });
        } catch (InvalidSpecException e) {
            String attribute =
                    e.field().map(field -> Attributes.of(this, field)).orElse(null);
            problems.error(attribute, Attributes.valueOf(this, attribute), String.valueOf(e.getMessage()));
        } catch (AutoPartitionException e) {
            problems.error(null, null, "cannot be checked against the database: " + e.getMessage());
        } catch (RuntimeException e) {
            problems.error(null, null, "cannot be checked against the database: " + e);
        }
        return problems;
    }

    @Override
    public SqlStatement[] generateStatements(Database database) {
        if (Preview.outputOnly(database)) {
            return new SqlStatement[] {new PreviewStatement(Preview.of(this, database, deferral))};
        }
        return new SqlStatement[] {
            new EngineStatement(describe(database), database, getChangeSet() == null, connection -> {
                String result = execute(tuning().engine(connection), database);
                confirmation = result;
                return result;
            })
        };
    }

    @Override
    public String getConfirmationMessage() {
        return confirmation != null ? confirmation : changeName() + " ran";
    }

    /** Why this change cannot be rolled back automatically, or null when it can. */
    @Nullable
    String rollbackImpossible() {
        return createInverses() == null ? changeName() + " has no automatic rollback." : null;
    }

    @Override
    public boolean supportsRollback(Database database) {
        return rollbackImpossible() == null;
    }

    @Override
    public SqlStatement[] generateRollbackStatements(Database database) throws RollbackImpossibleException {
        String reason = rollbackImpossible();
        if (reason != null) {
            throw new RollbackImpossibleException(where() + ": " + reason);
        }
        return super.generateRollbackStatements(database);
    }

    /** Liquibase's JDBC connection, or null when it has none (offline). */
    static @Nullable Connection jdbc(Database database) {
        return database.getConnection() instanceof JdbcConnection jdbc ? jdbc.getUnderlyingConnection() : null;
    }

    /** The earlier change set (not yet run) that may create or change a table this change uses, or null. */
    @Nullable
    String deferredBy(Database database) {
        for (String table : tablesUsed()) {
            String by = ChangeLogScan.pendingChangeTouching(this, database, table);
            if (by != null) {
                return by;
            }
        }
        return null;
    }

    /** The change and its change set, to start a message. */
    String where() {
        ChangeSet changeSet = getChangeSet();
        return changeName() + (changeSet == null ? "" : " in change set " + changeSet.toString(false));
    }

    /** The change type's name, such as {@code autoPartition}. */
    String changeName() {
        DatabaseChange annotation = getClass().getAnnotation(DatabaseChange.class);
        return annotation == null ? getClass().getSimpleName() : annotation.name();
    }

    /** Levenshtein distance, for suggesting the attribute a typo meant. */
    static int distance(String a, String b) {
        return Attributes.distance(a, b);
    }
}
