package dev.autopartition;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.autopartition.testing.CatalogSnapshot;
import dev.autopartition.testing.PostgresExtension;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Bad input through the Java API, one case a row: each is refused with an {@link InvalidSpecException} naming the
 * option ({@link InvalidSpecException#field()}), the object, the value and the fix, and the database is the same
 * afterwards (relations, constraints, triggers, the engine's catalog), down to the catalog schema of an engine that
 * never ran: the engine below has never installed {@code fresh_catalog}, so a call that installed it before refusing
 * would show as a difference.
 */
class BadInputSuiteIT {
    @RegisterExtension
    static final PostgresExtension pg = new PostgresExtension();

    /** An engine whose catalog was never installed. */
    private static AutoPartition fresh;

    /** An engine with its catalog installed, for the refusals that need one. */
    private static AutoPartition installed;

    @BeforeAll
    static void setUp() {
        pg.execute(
                "CREATE TABLE t (ts timestamptz NOT NULL, maybe timestamptz, label text NOT NULL, n int NOT NULL)"
                        + " PARTITION BY RANGE (ts)",
                "CREATE TABLE ids (id bigint NOT NULL) PARTITION BY RANGE (id)",
                "CREATE TABLE by_list (k text NOT NULL) PARTITION BY LIST (k)",
                "CREATE TABLE by_two (a int NOT NULL, b int NOT NULL) PARTITION BY RANGE (a, b)",
                "CREATE TABLE full_table (id bigint PRIMARY KEY, ts timestamptz NOT NULL, maybe timestamptz)",
                "INSERT INTO full_table VALUES (1, now(), NULL)",
                "CREATE TABLE no_pk (ts timestamptz NOT NULL)",
                "INSERT INTO no_pk VALUES (now())",
                "CREATE VIEW a_view AS SELECT * FROM full_table",
                "CREATE MATERIALIZED VIEW a_matview AS SELECT * FROM full_table",
                "CREATE TABLE t_2024 PARTITION OF t FOR VALUES FROM ('2024-01-01') TO ('2025-01-01')");
        fresh = AutoPartition.configure(pg.dataSource())
                .catalogSchema("fresh_catalog")
                .build();
        installed = AutoPartition.configure(pg.dataSource()).build();
        installed.maintain();
    }

    /** A bad call, the option it is wrong in (null: the call as a whole), and what the message must name. */
    record Case(String name, Runnable call, @Nullable SpecField field, List<String> mentions) {
        @Override
        public String toString() {
            return name;
        }
    }

    private static Case refusal(String name, Runnable call, @Nullable SpecField field, String... mentions) {
        return new Case(name, call, field, List.of(mentions));
    }

    private static AutoPartitionSpec.Builder on(String table, String column) {
        return AutoPartitionSpec.builder(TableName.of(table), column).increment("1 day");
    }

    private static Runnable declare(AutoPartitionSpec.Builder spec) {
        return () -> fresh.apply(new Operation.DeclareRule(spec.build()));
    }

    private static Runnable migrate(AutoPartitionSpec.Builder spec) {
        return () -> fresh.apply(
                new Operation.Migrate(MigrationSpec.builder(spec.build()).build()));
    }

    static Stream<Case> cases() {
        TableName t = TableName.of("t");
        return Stream.of(
                refusal("unknown table", declare(on("nope", "ts")), SpecField.TABLE, "\"public\".\"nope\""),
                refusal("unknown column", declare(on("t", "created")), SpecField.COLUMN, "\"created\"", "\"ts\""),
                refusal("nullable key", declare(on("t", "maybe")), SpecField.COLUMN, "\"maybe\"", "SET NOT NULL"),
                refusal("text key", declare(on("t", "label")), SpecField.COLUMN, "\"label\"", "text"),
                refusal(
                        "increment that does not parse",
                        declare(on("t", "ts").increment("1 fortnight")),
                        SpecField.INCREMENT,
                        "'1 fortnight'",
                        "'1 day'"),
                refusal(
                        "integer increment on a timestamptz",
                        declare(on("t", "ts").increment("1000")),
                        SpecField.INCREMENT,
                        "'1000'",
                        "\"ts\""),
                refusal(
                        "time increment on a bigint",
                        declare(on("ids", "id").increment("1 day")),
                        SpecField.INCREMENT,
                        "'1 day'",
                        "\"id\""),
                refusal("zero increment", declare(on("ids", "id").increment("0")), SpecField.INCREMENT, "0"),
                refusal(
                        "retention shorter than the increment",
                        declare(on("t", "ts").increment("1 month").retention("10 days")),
                        SpecField.RETENTION,
                        "'10 days'",
                        "1 month"),
                refusal(
                        "retention that does not parse",
                        declare(on("t", "ts").retention("forever")),
                        SpecField.RETENTION,
                        "'forever'",
                        "'30 days'"),
                refusal(
                        "retention in days on an integer key",
                        declare(on("ids", "id").increment("1000").retention("30 days")),
                        SpecField.RETENTION,
                        "'30 days'",
                        "key values"),
                refusal(
                        "minimum above maximum",
                        declare(on("t", "ts").minimumAdvancePartitions(6).maximumAdvancePartitions(3)),
                        SpecField.MINIMUM_ADVANCE_PARTITIONS,
                        "(6)",
                        "(3)"),
                refusal(
                        "minimum of zero",
                        declare(on("t", "ts").minimumAdvancePartitions(0)),
                        SpecField.MINIMUM_ADVANCE_PARTITIONS,
                        "is 0"),
                refusal(
                        "maximum over the limit",
                        declare(on("t", "ts").maximumAdvancePartitions(1_000_000)),
                        SpecField.MAXIMUM_ADVANCE_PARTITIONS,
                        "1000000"),
                refusal(
                        "initial lower bound that is no time",
                        declare(on("t", "ts").initialLowerBound("soon")),
                        SpecField.INITIAL_LOWER_BOUND,
                        "'soon'"),
                refusal(
                        "unknown time zone",
                        declare(on("t", "ts").timeZone("Mars/Olympus")),
                        SpecField.TIME_ZONE,
                        "'Mars/Olympus'",
                        "IANA"),
                refusal(
                        "retention schema that does not exist",
                        declare(on("t", "ts")
                                .retention("30 days")
                                .retentionAction(RetentionAction.MOVE)
                                .retentionSchema("nowhere")),
                        SpecField.RETENTION_SCHEMA,
                        "\"nowhere\"",
                        "CREATE SCHEMA"),
                refusal(
                        "move without a retention schema",
                        declare(on("t", "ts").retention("30 days").retentionAction(RetentionAction.MOVE)),
                        SpecField.RETENTION_SCHEMA,
                        "\"public\".\"t\""),
                refusal(
                        "naming pattern without a bound",
                        declare(on("t", "ts").namingPattern("{table}_static")),
                        SpecField.NAMING_PATTERN,
                        "'{table}_static'",
                        "{yyyyMMdd}"),
                refusal(
                        "naming pattern coarser than the increment",
                        declare(on("t", "ts").namingPattern("{table}_{yyyy}")),
                        SpecField.NAMING_PATTERN,
                        "'{table}_{yyyy}'",
                        "coarser than the increment"),
                refusal(
                        "naming pattern with an unknown token",
                        declare(on("t", "ts").namingPattern("{table}_{bogus}")),
                        SpecField.NAMING_PATTERN,
                        "{bogus}"),
                refusal(
                        "date pattern on an integer key",
                        declare(on("ids", "id").increment("1000").namingPattern("{table}_{yyyyMMdd}")),
                        SpecField.NAMING_PATTERN,
                        "{yyyyMMdd}",
                        "{lower}"),
                refusal(
                        "tier tablespace without a period",
                        declare(on("t", "ts").tierTablespace("cold")),
                        SpecField.TIER_AFTER,
                        "cold",
                        "tierAfter"),
                refusal(
                        "tier tablespace that does not exist",
                        declare(on("t", "ts").tierAfter("30 days").tierTablespace("cold")),
                        SpecField.TIER_TABLESPACE,
                        "\"cold\"",
                        "CREATE TABLESPACE"),
                refusal(
                        "autocreate expression with a semicolon",
                        declare(on("t", "ts").autocreateExpression("now(); DROP TABLE t")),
                        SpecField.AUTOCREATE_EXPRESSION,
                        "';'"),
                refusal(
                        "autocreate expression that fails",
                        declare(on("t", "ts").autocreateExpression("(SELECT max(x) FROM nowhere)")),
                        SpecField.AUTOCREATE_EXPRESSION,
                        "nowhere"),
                refusal("a view", declare(on("a_view", "ts")), SpecField.TABLE, "\"public\".\"a_view\" is a view"),
                refusal(
                        "a materialized view",
                        declare(on("a_matview", "ts")),
                        SpecField.TABLE,
                        "\"public\".\"a_matview\" is a materialized view"),
                refusal(
                        "the engine's own table",
                        () -> installed.apply(new Operation.DeclareRule(
                                on("managed_table", "id").increment("1000").build())),
                        SpecField.TABLE,
                        "managed_table"),
                refusal(
                        "a plain table with rows",
                        declare(on("full_table", "ts")),
                        SpecField.TABLE,
                        "\"public\".\"full_table\"",
                        "migrateToPartitioned"),
                refusal("a partition", declare(on("t_2024", "ts")), SpecField.TABLE, "\"public\".\"t_2024\"", "parent"),
                refusal("list partitioned", declare(on("by_list", "k")), SpecField.COLUMN, "\"k\"", "text"),
                refusal(
                        "two-column key",
                        declare(AutoPartitionSpec.builder(TableName.of("by_two"), "a")
                                .increment("10")),
                        SpecField.TABLE,
                        "2 columns"),
                refusal(
                        "overlapping partition",
                        () -> fresh.apply(new Operation.CreatePartition(
                                t, null, PartitionBounds.range("2024-06-01", "2025-06-01"))),
                        SpecField.RANGE,
                        "\"t_2024\"",
                        "2024-06-01"),
                refusal(
                        "empty range",
                        () -> fresh.apply(new Operation.CreatePartition(
                                t, null, PartitionBounds.range("2026-02-01", "2026-01-01"))),
                        SpecField.RANGE,
                        "'from' must be below 'to'"),
                refusal(
                        "bound that is no time",
                        () -> fresh.apply(
                                new Operation.CreatePartition(t, null, PartitionBounds.range("soon", "later"))),
                        SpecField.FROM,
                        "'from'",
                        "\"ts\""),
                refusal(
                        "partition name taken",
                        () -> fresh.apply(new Operation.CreatePartition(
                                t, "full_table", PartitionBounds.range("2030-01-01", "2031-01-01"))),
                        SpecField.PARTITION_NAME,
                        "\"full_table\""),
                refusal(
                        "list values on a range table",
                        () -> fresh.apply(new Operation.CreatePartition(t, null, PartitionBounds.values("x"))),
                        SpecField.VALUES,
                        "RANGE"),
                refusal(
                        "drop a table that is no partition",
                        () -> fresh.apply(new Operation.DropPartition(TableName.of("full_table"))),
                        SpecField.PARTITION,
                        "\"public\".\"full_table\""),
                refusal(
                        "maintain a table without a rule",
                        () -> fresh.apply(new Operation.Maintain(t)),
                        SpecField.TABLE,
                        "\"public\".\"t\"",
                        "autoPartition"),
                refusal(
                        "migrate a table without a primary key",
                        migrate(on("no_pk", "ts")),
                        SpecField.TABLE,
                        "\"public\".\"no_pk\"",
                        "primary key"),
                refusal(
                        "migrate on a nullable key",
                        migrate(on("full_table", "maybe")),
                        SpecField.COLUMN,
                        "\"maybe\"",
                        "NOT NULL"),
                refusal(
                        "migrate with an integer increment on a timestamptz",
                        migrate(on("full_table", "ts").increment("1000")),
                        SpecField.INCREMENT,
                        "'1000'"),
                refusal(
                        "migrate a partitioned table",
                        migrate(on("t", "ts")),
                        SpecField.TABLE,
                        "\"public\".\"t\"",
                        "autoPartition"),
                refusal("migrate a view", migrate(on("a_view", "ts")), SpecField.TABLE, "is a view"),
                refusal(
                        "migration batch size of zero",
                        () -> MigrationSpec.builder(on("full_table", "ts").build())
                                .batchSize(0)
                                .build(),
                        SpecField.BATCH_SIZE,
                        "\"public\".\"full_table\"",
                        "is 0"),
                refusal(
                        "latency budget below the idle latency",
                        () -> MigrationSpec.builder(on("full_table", "ts").build())
                                .latencyBudget(0.5)
                                .build(),
                        SpecField.LATENCY_BUDGET,
                        "\"public\".\"full_table\"",
                        "is 0.5",
                        "1.5"),
                refusal(
                        "standby lag budget shorter than a standby reports",
                        () -> MigrationSpec.builder(on("full_table", "ts").build())
                                .standbyLagBudget(Duration.ofMillis(10))
                                .build(),
                        SpecField.STANDBY_LAG_BUDGET,
                        "\"public\".\"full_table\"",
                        "PT0.01S",
                        "1s"),
                refusal(
                        "cutover of a migration that never started",
                        () -> fresh.apply(new Operation.MigrationStep(
                                TableName.of("full_table"), Operation.MigrationStep.Step.CUTOVER)),
                        null,
                        "\"public\".\"full_table\"",
                        "migrateToPartitioned"),
                refusal(
                        "lock timeout of zero",
                        () -> AutoPartition.configure(pg.dataSource())
                                .lockTimeout(Duration.ZERO)
                                .build(),
                        SpecField.LOCK_TIMEOUT,
                        "PT0S"),
                refusal(
                        "duration that does not parse",
                        () -> Durations.parse("2 fortnights", SpecField.LOCK_TIMEOUT),
                        SpecField.LOCK_TIMEOUT,
                        "'2 fortnights'",
                        "500ms"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void isRefusedBeforeAnythingChanges(Case bad) {
        CatalogSnapshot before = CatalogSnapshot.of(pg.dataSource());
        Throwable thrown = catchThrowable(bad.call()::run);
        assertThat(thrown).as(bad.name()).isInstanceOf(InvalidSpecException.class);
        InvalidSpecException refusal = (InvalidSpecException) thrown;
        assertThat(refusal.field())
                .as("the field of: %s", refusal.getMessage())
                .isEqualTo(java.util.Optional.ofNullable(bad.field()));
        assertThat(refusal.getMessage())
                .as("the message names the object, the value and the fix")
                .contains(bad.mentions())
                .contains("Fix:");
        assertThat(CatalogSnapshot.of(pg.dataSource()).diff(before))
                .as("what changed before the refusal of: %s", refusal.getMessage())
                .isEmpty();
    }
}
