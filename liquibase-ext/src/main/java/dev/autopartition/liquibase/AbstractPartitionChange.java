package dev.autopartition.liquibase;

import dev.autopartition.AutoPartition;
import dev.autopartition.AutoPartitionException;
import dev.autopartition.InvalidSpecException;
import dev.autopartition.TableName;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import liquibase.ChecksumVersion;
import liquibase.Scope;
import liquibase.change.AbstractChange;
import liquibase.change.ChangeFactory;
import liquibase.change.ChangeParameterMetaData;
import liquibase.change.DatabaseChange;
import liquibase.changelog.ChangeSet;
import liquibase.database.Database;
import liquibase.database.core.PostgresDatabase;
import liquibase.database.jvm.JdbcConnection;
import liquibase.exception.RollbackImpossibleException;
import liquibase.exception.ValidationErrors;
import liquibase.exception.Warnings;
import liquibase.executor.Executor;
import liquibase.executor.ExecutorService;
import liquibase.executor.LoggingExecutor;
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

    /** Tuning attributes of every change type; the migration's own are pause and the cutover's lock budget. */
    private static final List<String> NOT_IN_CHECKSUM =
            List.of("lockTimeout", "attempts", "batchSize", "pause", "cutoverLockTimeout", "cutoverAttempts");

    private final Set<String> unknownAttributes = new TreeSet<>();
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

    /**
     * Checks against the database, inside a rolled-back savepoint; called only when the static checks passed.
     *
     * @throws InvalidSpecException for a problem the engine found; {@link #attributeFor} names its attribute
     */
    abstract void checkDatabase(AutoPartition engine, Database database, Problems problems);

    /** The attribute an engine message is about, or null when it is about the change as a whole. */
    abstract @Nullable String attributeFor(String message);

    /** The tables (names as written) the change works on, for finding earlier changes that may create them. */
    abstract List<String> tablesUsed();

    /** Whether the change names a table of this name (so an earlier one of ours may touch a later one's table). */
    abstract boolean names(String tableName);

    /** One line: what the change does to what, such as {@code autoPartition of "public"."events" ...}. */
    abstract String describe(Database database);

    /** What the change will do, in words, for {@code update-sql} when its DDL cannot be planned in advance. */
    abstract String willDo(Database database);

    /** The engine's plan for this change, as SQL with comments; runs inside a dry run. */
    abstract String preview(AutoPartition engine, Database database);

    /** Runs the change; returns what it did, for the log and the confirmation message. */
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
        for (ParsedNode child : parsedNode.getChildren()) {
            if (child.getValue() instanceof java.util.Date date) {
                Instant instant = date.toInstant();
                child.setValue(
                        instant.atOffset(ZoneOffset.UTC).toLocalTime().equals(LocalTime.MIDNIGHT)
                                ? instant.atOffset(ZoneOffset.UTC).toLocalDate().toString()
                                : instant.toString());
            }
        }
        super.load(parsedNode, resourceAccessor);
    }

    @Override
    protected void customLoadLogic(ParsedNode parsedNode, ResourceAccessor resourceAccessor)
            throws ParsedNodeException {
        Set<String> known = parameterNames();
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
                    "is not an attribute of " + changeName() + ". Fix: use " + closest(unknown)
                            + " if that is what you meant; the attributes are "
                            + String.join(", ", parameterNames()) + ".");
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
            String message = String.valueOf(e.getMessage());
            String attribute = attributeFor(message);
            problems.error(attribute, valueOf(attribute), message);
        } catch (AutoPartitionException e) {
            problems.error(null, null, "cannot be checked against the database: " + e.getMessage());
        } catch (RuntimeException e) {
            problems.error(null, null, "cannot be checked against the database: " + e);
        }
        return problems;
    }

    @Override
    public SqlStatement[] generateStatements(Database database) {
        if (outputOnly(database)) {
            return new SqlStatement[] {new PreviewStatement(previewText(database))};
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

    // ---------------------------------------------------------------- helpers for the change types

    /** Whether statements are printed rather than run ({@code update-sql}, {@code rollback-sql}). */
    static boolean outputOnly(Database database) {
        Executor executor =
                Scope.getCurrentScope().getSingleton(ExecutorService.class).getExecutor("jdbc", database);
        return executor instanceof LoggingExecutor;
    }

    /** Liquibase's JDBC connection, or null when it has none (offline). */
    static @Nullable Connection jdbc(Database database) {
        return database.getConnection() instanceof JdbcConnection jdbc ? jdbc.getUnderlyingConnection() : null;
    }

    /** The schema a table without schemaName is in: Liquibase's default schema. */
    static String defaultSchema(Database database) {
        String schema = database.getDefaultSchemaName();
        return schema == null || schema.isBlank() ? "public" : schema;
    }

    /** The table named by the attributes; reports a bad name and returns null. */
    static @Nullable TableName table(
            Problems problems,
            Database database,
            @Nullable String schemaName,
            @Nullable String name,
            String attribute) {
        if (name == null || name.isBlank()) {
            return null;
        }
        String schema = schemaName != null ? schemaName : defaultSchema(database);
        if (!problems.check("schemaName", schemaName, () -> TableName.of(schema, "t"))) {
            return null;
        }
        TableName[] result = new TableName[1];
        return problems.check(attribute, name, () -> result[0] = TableName.of(schema, name)) ? result[0] : null;
    }

    /** The table named by the attributes, once validation has passed. */
    static TableName tableOf(Database database, @Nullable String schemaName, @Nullable String name) {
        return TableName.of(schemaName != null ? schemaName : defaultSchema(database), name == null ? "" : name);
    }

    /** Whether a table (of any kind) exists, by JDBC metadata. */
    static boolean exists(Connection connection, TableName table) {
        try {
            DatabaseMetaData meta = connection.getMetaData();
            String escape = meta.getSearchStringEscape();
            try (ResultSet rs = meta.getTables(null, like(table.schema(), escape), like(table.name(), escape), null)) {
                while (rs.next()) {
                    if (table.schema().equals(rs.getString("TABLE_SCHEM"))
                            && table.name().equals(rs.getString("TABLE_NAME"))) {
                        return true;
                    }
                }
                return false;
            }
        } catch (SQLException e) {
            throw new AutoPartitionException("Cannot look up " + table + ": " + e.getMessage(), e);
        }
    }

    private static String like(String name, String escape) {
        return name.replace(escape, escape + escape).replace("%", escape + "%").replace("_", escape + "_");
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

    /** The value of an attribute as written, or null (also for combined names such as {@code from/to}). */
    @Nullable
    String valueOf(@Nullable String attribute) {
        if (attribute == null) {
            return null;
        }
        ChangeParameterMetaData parameter = Scope.getCurrentScope()
                .getSingleton(ChangeFactory.class)
                .getChangeMetaData(this)
                .getParameters()
                .get(attribute);
        Object value = parameter == null ? null : parameter.getCurrentValue(this);
        return value == null ? null : value.toString();
    }

    private Set<String> parameterNames() {
        return new TreeSet<>(Scope.getCurrentScope()
                .getSingleton(ChangeFactory.class)
                .getChangeMetaData(this)
                .getParameters()
                .keySet());
    }

    private String closest(String unknown) {
        return parameterNames().stream()
                .min(Comparator.comparingInt(known ->
                        distance(unknown.toLowerCase(java.util.Locale.ROOT), known.toLowerCase(java.util.Locale.ROOT))))
                .orElse("another attribute");
    }

    /** Levenshtein distance, for suggesting the attribute a typo meant. */
    static int distance(String a, String b) {
        int[] previous = new int[b.length() + 1];
        int[] current = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            previous[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            current[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                current[j] = Math.min(Math.min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + cost);
            }
            int[] swap = previous;
            previous = current;
            current = swap;
        }
        return previous[b.length()];
    }

    /** The text update-sql prints for this change. */
    private String previewText(Database database) {
        String header = "-- autopartition: " + describe(database) + "\n";
        Connection connection = jdbc(database);
        if (connection == null) {
            return header
                    + comment("No live database connection: the engine plans from the catalog, so the DDL is decided"
                            + " when the change runs. It will " + willDo(database) + ".");
        }
        String by = deferral != null ? (deferral.isEmpty() ? null : deferral) : deferredBy(database);
        if (by != null) {
            return header
                    + comment("Not planned here: " + by + " comes earlier in this update and has not run yet, so"
                            + " the table it creates or changes cannot be inspected now. When this change runs, it will "
                            + willDo(database) + ".");
        }
        Instant now = Tuning.fixedNow();
        String clock = now == null
                ? comment("Planned from the catalog as it is now; what runs is decided when the change runs.")
                : comment("Planned with the clock fixed at " + now + " (liquibase.autopartition.now).");
        try {
            return header + clock + DryRun.run(connection, c -> preview(tuning().engine(c), database));
        } catch (RuntimeException e) {
            return header + comment("Cannot be planned now: " + e.getMessage());
        }
    }

    /** Text as SQL line comments, wrapped at about 110 characters. */
    static String comment(String text) {
        StringBuilder out = new StringBuilder();
        for (String paragraph : text.split("\n", -1)) {
            StringBuilder line = new StringBuilder("--");
            for (String word : paragraph.split(" ")) {
                if (line.length() > 2 && line.length() + 1 + word.length() > 110) {
                    out.append(line).append('\n');
                    line = new StringBuilder("--");
                }
                line.append(' ').append(word);
            }
            out.append(line).append('\n');
        }
        return out.toString();
    }
}
