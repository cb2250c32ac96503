package dev.autopartition.flyway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.autopartition.AutoPartition;
import dev.autopartition.AutoPartitionSpec;
import dev.autopartition.Durations;
import dev.autopartition.MigrationSpec;
import dev.autopartition.PartitionBounds;
import dev.autopartition.TableName;
import dev.autopartition.testing.CatalogSnapshot;
import dev.autopartition.testing.PostgresExtension;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Bad input through Flyway, one case a row: a Java migration declares the changes of the case (or the settings are
 * bad), {@code migrate} fails with the core's message naming the object, the value and the fix, Flyway's history
 * records no success of it (the schema {@code public} holds the test's tables, so each case starts from a baseline at
 * V1), and the database is the same afterwards (relations, constraints, triggers, the
 * engine's catalog) but for Flyway's own schema-history table, which each case names for itself and the comparison
 * leaves out explicitly. The catalog schema is {@code fresh_catalog}, never installed, unless a case says otherwise: a
 * migration that installed it before refusing would show as a difference.
 */
class FlywayBadInputSuiteIT {
    @RegisterExtension
    static final PostgresExtension pg = new PostgresExtension();

    private static final AtomicInteger RUNS = new AtomicInteger();

    @BeforeAll
    static void setUp() {
        pg.execute(
                "CREATE TABLE logs (id bigint NOT NULL, created_at timestamptz NOT NULL, maybe timestamptz)"
                        + " PARTITION BY RANGE (created_at)",
                "CREATE TABLE logs_2024 PARTITION OF logs FOR VALUES FROM ('2024-01-01') TO ('2025-01-01')",
                "CREATE TABLE orders (id bigint PRIMARY KEY, created_at timestamptz NOT NULL, shipped_at timestamptz)",
                "INSERT INTO orders VALUES (1, '2022-01-01', NULL)",
                "CREATE TABLE no_pk (created_at timestamptz NOT NULL)",
                "INSERT INTO no_pk VALUES ('2022-01-01')",
                "CREATE VIEW recent_orders AS SELECT * FROM orders");
        AutoPartition.configure(pg.dataSource()).build().maintain(); // the default catalog, for its own tables
    }

    /** The one Java migration of every case: it declares what the case gives it. */
    static final class V2__bad_input extends PartitioningMigration {
        private final Consumer<Partitioning> changes;

        V2__bad_input(Consumer<Partitioning> changes) {
            this.changes = changes;
        }

        @Override
        protected void partitioning(Partitioning partitioning) {
            changes.accept(partitioning);
        }
    }

    /** The changes, the Flyway placeholders beyond the defaults, and what the failure must name. */
    record Case(String name, Consumer<Partitioning> changes, Map<String, String> settings, List<String> mentions) {
        @Override
        public String toString() {
            return name;
        }
    }

    private static Case refusal(String name, Consumer<Partitioning> changes, String... mentions) {
        return new Case(name, changes, Map.of(), List.of(mentions));
    }

    private static Case setting(String key, String value, String... mentions) {
        return new Case(
                "setting " + key + "=" + value,
                p -> p.autoPartition(daily("logs", "created_at")),
                Map.of(key, value),
                List.of(mentions));
    }

    private static AutoPartitionSpec.Builder daily(String table, String column) {
        return AutoPartitionSpec.builder(TableName.parse(table), column).increment("1 day");
    }

    static Stream<Case> cases() {
        return Stream.of(
                refusal(
                        "a table that does not exist",
                        p -> p.autoPartition(daily("nope", "created_at")),
                        "\"public\".\"nope\""),
                refusal(
                        "a view",
                        p -> p.autoPartition(daily("recent_orders", "created_at")),
                        "\"public\".\"recent_orders\" is a view"),
                refusal(
                        "an increment that does not parse",
                        p -> p.autoPartition(daily("logs", "created_at").increment("1 fortnight")),
                        "'1 fortnight'",
                        "'1 day'"),
                refusal(
                        "a naming pattern coarser than the increment",
                        p -> p.autoPartition(daily("logs", "created_at").namingPattern("{table}_{yyyyMM}")),
                        "'{table}_{yyyyMM}'",
                        "coarser than the increment"),
                refusal(
                        "a key that allows NULL",
                        p -> p.autoPartition(daily("logs", "maybe")),
                        "\"maybe\"",
                        "SET NOT NULL"),
                refusal(
                        "a partition that overlaps one there is",
                        p -> p.createPartition(TableName.of("logs"), PartitionBounds.range("2024-06-01", "2025-06-01")),
                        "\"logs_2024\"",
                        "2024-06-01"),
                refusal(
                        "the engine's own table, in the installed catalog",
                        p -> p.autoPartition(
                                AutoPartitionSpec.builder(TableName.of("autopartition", "managed_table"), "id")
                                        .increment("1000")),
                        "\"autopartition\".\"managed_table\"",
                        "catalog"),
                refusal(
                        "migrate a table without a primary key (outside Flyway's transaction)",
                        p -> p.migrateToPartitioned(MigrationSpec.builder(
                                daily("no_pk", "created_at").build())),
                        "\"public\".\"no_pk\"",
                        "primary key"),
                refusal(
                        "migrate a view (outside Flyway's transaction)",
                        p -> p.migrateToPartitioned(MigrationSpec.builder(
                                daily("recent_orders", "created_at").build())),
                        "\"public\".\"recent_orders\" is a view"),
                refusal(
                        "migrate with a standby lag budget shorter than a standby reports",
                        p -> p.migrateToPartitioned(MigrationSpec.builder(
                                        daily("orders", "created_at").build())
                                .standbyLagBudget(java.time.Duration.ofMillis(10))),
                        "standbyLagBudget of the migration of \"public\".\"orders\" is PT0.01S",
                        "1s"),
                refusal(
                        "migrate with a latency budget below the idle latency",
                        p -> p.migrateToPartitioned(MigrationSpec.builder(
                                        daily("orders", "created_at").build())
                                .latencyBudget(1)),
                        "latencyBudget of the migration of \"public\".\"orders\" is 1.0",
                        "1.5"),
                refusal(
                        "drop a table that is no partition (outside Flyway's transaction)",
                        p -> p.dropPartition(TableName.of("orders")),
                        "\"public\".\"orders\" is not a partition"),
                refusal(
                        "maintain a table without a rule (outside Flyway's transaction)",
                        p -> p.maintain(TableName.of("logs")),
                        "\"public\".\"logs\" has no auto-partition rule"),
                refusal("a migration that declares nothing", p -> {}, "V2__bad_input declares no partitioning changes"),
                setting(
                        "autopartition.lockTimeout",
                        "2 fortnights",
                        "Flyway placeholder autopartition.lockTimeout is '2 fortnights', not a duration. Fix: write "
                                + Durations.GRAMMAR),
                setting(
                        "autopartition.lockTimeout",
                        "0",
                        "autopartition.lockTimeout must be positive, was PT0S",
                        "500ms"),
                setting(
                        "autopartition.lock_timout",
                        "2s",
                        "Unknown autopartition setting: Flyway placeholder autopartition.lock_timout",
                        "lockTimeout"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void failsAndLeavesNoTrace(Case bad) {
        String history = "flyway_history_" + RUNS.incrementAndGet();
        Map<String, String> placeholders = new HashMap<>(Map.of("autopartition.catalogSchema", "fresh_catalog"));
        if (bad.name().startsWith("the engine's own table")) {
            placeholders.remove("autopartition.catalogSchema");
        }
        placeholders.putAll(bad.settings());
        Flyway flyway = Db.flyway(pg, "2022-01-10T15:00:00Z", "classpath:dev/autopartition/flyway/it/bad/nothing")
                .placeholders(merged(placeholders))
                .table(history)
                .baselineOnMigrate(true) // public holds the test's tables: V1 is the baseline, V2 the case
                .baselineVersion("1")
                .javaMigrations(new V2__bad_input(bad.changes()))
                .load();

        CatalogSnapshot before = CatalogSnapshot.of(pg.dataSource());
        Throwable thrown = catchThrowable(flyway::migrate);
        assertThat(thrown).as("migrate of: %s", bad.name()).isNotNull();
        assertThat(Db.messages(thrown))
                .as("the failure names the object, the value and the fix")
                .contains(bad.mentions())
                .contains("Fix:");
        if (Db.exists(pg, "public." + history)) {
            assertThat(Db.string(pg, "SELECT count(*) FROM public." + history + " WHERE version = '2' AND success"))
                    .as("Flyway's history records no success of V2")
                    .isEqualTo("0");
        }
        assertThat(CatalogSnapshot.of(pg.dataSource()).diff(before).stream()
                        .filter(line -> !line.contains(history)) // Flyway's own table, its key and index
                        .toList())
                .as("what changed but Flyway's schema history, before the refusal of: %s", Db.messages(thrown))
                .isEmpty();
    }

    private static Map<String, String> merged(Map<String, String> settings) {
        Map<String, String> all = new HashMap<>(Map.of("autopartition.now", "2022-01-10T15:00:00Z"));
        all.putAll(settings);
        return all;
    }
}
