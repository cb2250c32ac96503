package dev.autopartition;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.autopartition.testing.PostgresExtension;
import java.util.List;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Relations no rule or migration may manage are refused for what they are, and a refusal on a database the engine has
 * never touched leaves no trace, not even the engine's catalog.
 */
class RefusalsIT {
    @RegisterExtension
    static final PostgresExtension pg = new PostgresExtension();

    @BeforeAll
    static void setUp() {
        pg.execute(
                "CREATE TABLE src (id bigint PRIMARY KEY, ts timestamptz NOT NULL)",
                "INSERT INTO src SELECT g, '2024-01-01'::timestamptz + g * interval '1 hour' FROM generate_series(1, 50) g",
                "CREATE VIEW recent AS SELECT * FROM src",
                "CREATE MATERIALIZED VIEW daily AS SELECT date_trunc('day', ts) AS ts, count(*) AS n FROM src GROUP BY 1",
                "CREATE TABLE owned_by_extension (ts timestamptz NOT NULL) PARTITION BY RANGE (ts)",
                "ALTER EXTENSION plpgsql ADD TABLE owned_by_extension",
                "CREATE TABLE plain_empty (ts timestamptz NOT NULL)");
    }

    private static AutoPartition engine(String catalogSchema) {
        return AutoPartition.configure(pg.dataSource())
                .catalogSchema(catalogSchema)
                .build();
    }

    private static AutoPartitionSpec daily(TableName table) {
        return AutoPartitionSpec.builder(table, "ts").increment("1 day").build();
    }

    private static List<String> relations() {
        return Fixtures.strings(pg, """
                SELECT n.nspname || '.' || c.relname || ':' || c.relkind::text
                  FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
                 WHERE n.nspname NOT IN ('pg_catalog', 'information_schema', 'pg_toast') ORDER BY 1""");
    }

    private static void refusedUnchanged(ThrowingCallable call, SpecField field, String... messageParts) {
        List<String> before = relations();
        var thrown = assertThatThrownBy(call)
                .isInstanceOfSatisfying(
                        InvalidSpecException.class,
                        e -> assertThat(e.field())
                                .as("the field of: " + e.getMessage())
                                .contains(field));
        for (String part : messageParts) {
            thrown.hasMessageContaining(part);
        }
        assertThat(relations()).as("nothing created, dropped or converted").isEqualTo(before);
    }

    @Test
    void viewsAreRefusedAsViews() {
        AutoPartition ap = engine("autopartition");
        refusedUnchanged(
                () -> ap.autoPartition(daily(TableName.of("recent"))),
                SpecField.TABLE,
                "\"public\".\"recent\" is a view",
                "Fix:");
        refusedUnchanged(
                () -> ap.autoPartition(daily(TableName.of("daily"))),
                SpecField.TABLE,
                "\"public\".\"daily\" is a materialized view",
                "cannot be partitioned");
        refusedUnchanged(
                () -> ap.migrateToPartitioned(
                        MigrationSpec.builder(daily(TableName.of("recent"))).build()),
                SpecField.TABLE,
                "is a view, and migrateToPartitioned works on tables");
    }

    @Test
    void theEnginesOwnTablesAndExtensionsTablesAreRefused() {
        AutoPartition ap = engine("autopartition");
        ap.maintain(); // installs the catalog
        refusedUnchanged(
                () -> ap.autoPartition(AutoPartitionSpec.builder(TableName.of("autopartition", "maintenance_run"), "id")
                        .increment("1000")
                        .build()),
                SpecField.TABLE,
                "one of autopartition's own catalog tables");
        refusedUnchanged(
                () -> ap.autoPartition(daily(TableName.of("owned_by_extension"))),
                SpecField.TABLE,
                "belongs to the extension \"plpgsql\"");
    }

    @Test
    void aRefusalOnAFreshDatabaseInstallsNothing() {
        AutoPartition ap = engine("never_installed");
        refusedUnchanged(
                () -> ap.autoPartition(AutoPartitionSpec.builder(TableName.of("plain_empty"), "ts")
                        .increment("1000")
                        .build()),
                SpecField.INCREMENT,
                "Increment '1000' does not fit column");
        refusedUnchanged(
                () -> ap.createPartition(TableName.of("plain_empty"), null, PartitionBounds.range("a", "b")),
                SpecField.TABLE);
        refusedUnchanged(
                () -> ap.migrateToPartitioned(MigrationSpec.builder(AutoPartitionSpec.builder(TableName.of("src"), "ts")
                                .increment("1000")
                                .build())
                        .build()),
                SpecField.INCREMENT,
                "Increment '1000' does not fit column");
        assertThat(Fixtures.number(pg, "SELECT count(*) FROM pg_namespace WHERE nspname = 'never_installed'"))
                .as("the catalog schema was not created for calls that were refused")
                .isZero();
    }
}
