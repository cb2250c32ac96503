package dev.autopartition;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.autopartition.testing.PostgresExtension;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The engine's own catalog installs itself once, in the schema asked for, and refuses a newer version. */
class CatalogIT {
    @RegisterExtension
    static final PostgresExtension pg = new PostgresExtension();

    @Test
    void installsOnceEvenWhenManyInstancesStartTogether() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(6);
        List<Future<MaintenanceReport>> runs = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            AutoPartition ap = AutoPartition.configure(pg.dataSource())
                    .catalogSchema("racing")
                    .build();
            runs.add(pool.submit(() -> ap.maintain()));
        }
        for (Future<MaintenanceReport> run : runs) {
            assertThat(run.get().hasErrors()).isFalse();
        }
        pool.shutdown();
        assertThat(Fixtures.strings(pg, "SELECT version::text FROM racing.catalog_version ORDER BY 1"))
                .containsExactly("1", "2", "3", "4", "5");
        assertThat(Fixtures.strings(pg, "SELECT tablename FROM pg_tables WHERE schemaname = 'racing' ORDER BY 1"))
                .containsExactly(
                        "catalog_version",
                        "maintenance_run",
                        "managed_partition",
                        "managed_table",
                        "migration",
                        "migration_partition",
                        "migration_step",
                        "setting");
    }

    @Test
    void upgradesAVersionOneCatalogInPlaceKeepingItsRules() {
        pg.execute("CREATE TABLE kept (ts timestamptz NOT NULL) PARTITION BY RANGE (ts)");
        AutoPartition ap =
                AutoPartition.configure(pg.dataSource()).catalogSchema("older").build();
        ap.autoPartition(AutoPartitionSpec.builder(TableName.of("kept"), "ts")
                .increment("1 month")
                .build());
        // what a version 1 catalog looked like: no migration tables
        withoutVersion4("older");
        pg.execute(
                "DROP TABLE older.migration_step, older.migration_partition, older.migration",
                "ALTER TABLE older.managed_partition DROP COLUMN partition_oid",
                "ALTER TABLE older.managed_table DROP COLUMN tier_after, DROP COLUMN tier_tablespace,"
                        + " DROP COLUMN autocreate_expression",
                "ALTER TABLE older.managed_partition DROP COLUMN tablespace",
                "ALTER TABLE older.maintenance_run DROP COLUMN tiered",
                "DELETE FROM older.catalog_version WHERE version IN (2, 3)");
        AutoPartition upgraded =
                AutoPartition.configure(pg.dataSource()).catalogSchema("older").build();
        upgraded.maintain(); // the first call that writes upgrades the catalog
        assertThat(upgraded.status()).extracting(TableStatus::table).containsExactly(TableName.of("kept"));
        assertThat(upgraded.migrationStatus(TableName.of("kept"))).isEmpty();
        assertThat(Fixtures.strings(pg, "SELECT version::text FROM older.catalog_version ORDER BY 1"))
                .containsExactly("1", "2", "3", "4", "5");
    }

    @Test
    void upgradesAVersionTwoCatalogToThreeKeepingItsRulesAndPartitions() {
        pg.execute("CREATE TABLE kept2 (ts timestamptz NOT NULL) PARTITION BY RANGE (ts)");
        AutoPartition ap =
                AutoPartition.configure(pg.dataSource()).catalogSchema("v2").build();
        ap.autoPartition(AutoPartitionSpec.builder(TableName.of("kept2"), "ts")
                .increment("1 month")
                .retention("12 months")
                .build());
        List<String> ownedBefore = Fixtures.strings(pg, "SELECT partition_name FROM v2.managed_partition ORDER BY 1");
        // what a version 2 catalog looked like: no tiering, no autocreate expression
        withoutVersion4("v2");
        pg.execute(
                "ALTER TABLE v2.managed_table DROP COLUMN tier_after, DROP COLUMN tier_tablespace,"
                        + " DROP COLUMN autocreate_expression",
                "ALTER TABLE v2.managed_partition DROP COLUMN tablespace",
                "ALTER TABLE v2.maintenance_run DROP COLUMN tiered",
                "DELETE FROM v2.catalog_version WHERE version = 3");
        AutoPartition upgraded =
                AutoPartition.configure(pg.dataSource()).catalogSchema("v2").build();
        upgraded.maintain(); // the first call that writes upgrades the catalog
        assertThat(Fixtures.strings(pg, "SELECT version::text FROM v2.catalog_version ORDER BY 1"))
                .as("the upgrade records versions 3 and 4 after the versions that were there")
                .containsExactly("1", "2", "3", "4", "5");
        assertThat(Fixtures.strings(pg, "SELECT partition_name FROM v2.managed_partition ORDER BY 1"))
                .as("owned partitions survive the upgrade")
                .isNotEmpty()
                .containsExactlyElementsOf(ownedBefore);
        assertThat(Fixtures.strings(
                        pg,
                        "SELECT retention || '|' || coalesce(tier_after, 'none') || '|'"
                                + " || coalesce(autocreate_expression, 'none') FROM v2.managed_table"))
                .as("the rule keeps its options; the new columns start empty")
                .containsExactly("12 months|none|none");
        // and the upgraded catalog stores the new options
        upgraded.autoPartition(AutoPartitionSpec.builder(TableName.of("kept2"), "ts")
                .increment("1 month")
                .retention("12 months")
                .autocreateExpression("now() + interval '1 month'")
                .build());
        assertThat(Fixtures.strings(pg, "SELECT autocreate_expression FROM v2.managed_table"))
                .containsExactly("now() + interval '1 month'");
    }

    /** Removes what version 4 added (the work history's columns, the planning functions, the status view). */
    private static void withoutVersion4(String schema) {
        pg.execute(
                "ALTER TABLE " + schema + ".migration DROP COLUMN behind_since, DROP COLUMN behind_reason",
                "DELETE FROM " + schema + ".catalog_version WHERE version = 5",
                "DROP VIEW " + schema + ".table_status",
                "DO $$ DECLARE f regprocedure; BEGIN FOR f IN SELECT p.oid FROM pg_proc p WHERE p.pronamespace = '"
                        + schema + "'::regnamespace LOOP EXECUTE 'DROP ROUTINE ' || f || ' CASCADE'; END LOOP; END $$",
                "DROP TYPE " + schema + ".planned_step, " + schema + ".partition_row",
                "DROP TABLE " + schema + ".setting",
                "ALTER TABLE " + schema + ".maintenance_run DROP COLUMN run_by, DROP COLUMN db_user,"
                        + " DROP COLUMN created_partitions, DROP COLUMN removed_partitions, DROP COLUMN outcome",
                "ALTER TABLE " + schema + ".managed_table DROP COLUMN last_maintained_by",
                "DELETE FROM " + schema + ".catalog_version WHERE version = 4");
    }

    @Test
    void upgradesAVersionThreeCatalogToFourKeepingItsHistory() {
        pg.execute("CREATE TABLE kept3 (ts timestamptz NOT NULL) PARTITION BY RANGE (ts)");
        AutoPartition ap =
                AutoPartition.configure(pg.dataSource()).catalogSchema("v3").build();
        ap.autoPartition(AutoPartitionSpec.builder(TableName.of("kept3"), "ts")
                .increment("1 month")
                .build());
        withoutVersion4("v3");
        AutoPartition upgraded =
                AutoPartition.configure(pg.dataSource()).catalogSchema("v3").build();
        upgraded.maintain();
        assertThat(Fixtures.strings(pg, "SELECT version::text FROM v3.catalog_version ORDER BY 1"))
                .containsExactly("1", "2", "3", "4", "5");
        assertThat(upgraded.maintenanceHistory(TableName.of("kept3"), 10))
                .as("a run recorded before the upgrade reads as a Java run, with its partitions unknown")
                .singleElement()
                .satisfies(run -> {
                    assertThat(run.runBy()).isEqualTo(MaintenanceRun.Runner.JAVA);
                    assertThat(run.outcome()).isEqualTo(MaintenanceRun.Outcome.CHANGED);
                    assertThat(run.created()).isEmpty();
                });
        assertThat(Fixtures.strings(pg, "SELECT table_name FROM v3.table_status"))
                .containsExactly("kept3");
    }

    @Test
    void refusesACatalogWrittenByANewerVersion() {
        AutoPartition.configure(pg.dataSource()).catalogSchema("future").build().maintain();
        pg.execute("INSERT INTO future.catalog_version (version) VALUES (99)");
        assertThatThrownBy(() -> AutoPartition.configure(pg.dataSource())
                        .catalogSchema("future")
                        .build()
                        .maintain())
                .isInstanceOf(AutoPartitionException.class)
                .hasMessageContaining("is version 99, newer than this library understands (5)");
    }

    @Test
    void badSettingsFailWhenBuilt() {
        assertThatThrownBy(() -> AutoPartition.configure(pg.dataSource())
                        .lockTimeout(java.time.Duration.ZERO)
                        .build())
                .isInstanceOf(InvalidSpecException.class)
                .hasMessageContaining("lockTimeout must be positive");
        assertThatThrownBy(() -> AutoPartition.configure(pg.dataSource())
                        .catalogSchema("")
                        .build())
                .isInstanceOf(InvalidSpecException.class)
                .hasMessageContaining("catalog schema name is empty");
    }
}
