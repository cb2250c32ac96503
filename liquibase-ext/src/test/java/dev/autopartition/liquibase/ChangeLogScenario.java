package dev.autopartition.liquibase;

import static org.assertj.core.api.Assertions.assertThat;

import dev.autopartition.testing.TestDatabase;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Every change type, from a changelog in one format (the subclasses: XML, YAML, JSON), through the command API:
 * {@code update-sql} (compared with golden files that all three formats share), {@code update}, a second {@code
 * update} that changes nothing, {@code rollback-count-sql} (golden) and {@code rollback-count}, back to the tables and
 * then to nothing.
 */
abstract class ChangeLogScenario {
    static final String NOW = "2022-01-10T00:00:00Z";

    /**
     * The checksums of partitioning.*: the same for XML, YAML and JSON, and on every Liquibase version the suite runs
     * on. The tuning attributes (lockTimeout, attempts, batchSize) are not part of them.
     */
    static final Map<String, String> CHECKSUMS = checksums();

    private static Map<String, String> checksums() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("events-rule", "9:5bd6c73669b5a223d21a90772fffc137");
        m.put("readings-rule", "9:db3a8dc4d808335ba6234fe7628bbc50");
        m.put("events-backfill", "9:49f0c3a0cd1d3a2bbf00e381248b5f28");
        m.put("regions-partitions", "9:3f23f1768e920eae6cb77d993a3079ef");
        m.put("sessions-partitions", "9:5a5544732935d35d0de74b6c3a9233e4");
        m.put("audit-rule", "9:3035fe017db3fc65c1815d8b8f8a6bde");
        m.put("audit-unmanaged", "9:cf56052fe8fa65381b8e4b44d3042d64");
        m.put("readings-legacy", "9:f265b3128e8786c2a2ccce493db63d39");
        m.put("readings-legacy-drop", "9:6a422ca29aa5f2402c335d169056768c");
        m.put("maintain", "9:22da1340cffd46db8ff8740b385ab436");
        return m;
    }

    abstract TestDatabase database();

    abstract String format();

    String changelog(String name) {
        return "changelogs/" + format() + "/" + name + "." + format();
    }

    @Test
    void updateSqlThenUpdateThenNothingThenRollback() {
        Lb lb = new Lb(database()).now(NOW);
        Db db = new Db(database());
        lb.update(changelog("tables"));
        assertThat(db.partitionKey("events"))
                .as("createTable makes a plain table")
                .isEqualTo("none");
        String tablesOnly = db.snapshot();

        // update-sql: the exact DDL where the engine can plan it, comments where it cannot; no change to the database
        Golden.assertMatches("partitioning-update.sql", lb.updateSql(changelog("partitioning")));
        assertThat(db.snapshot()).as("update-sql leaves the database as it was").isEqualTo(tablesOnly);
        assertThat(db.schemaExists("autopartition"))
                .as("not even the engine's catalog is installed by update-sql")
                .isFalse();

        lb.update(changelog("partitioning"));
        assertUpdated(db);
        Map<String, String> history = db.history();
        CHECKSUMS.forEach((id, checksum) ->
                assertThat(history.get(id)).as("checksum of " + id).isEqualTo(checksum + " EXECUTED"));

        // a second run: only the runAlways maintenance runs, and with the same clock it has nothing to do
        String afterUpdate = db.snapshot().replace("EXECUTED}", "");
        Golden.assertMatches("partitioning-update-again.sql", lb.updateSql(changelog("partitioning")));
        lb.update(changelog("partitioning"));
        assertThat(db.history().get("maintain"))
                .as("maintenance re-ran")
                .isEqualTo(CHECKSUMS.get("maintain") + " RERAN");
        assertThat(db.snapshot().replace("RERAN}", ""))
                .as("the second update changes nothing")
                .isEqualTo(afterUpdate);

        Golden.assertMatches(
                "partitioning-rollback.sql", lb.rollbackCountSql(changelog("partitioning"), CHANGE_SETS.size()));
        lb.rollbackCount(changelog("partitioning"), CHANGE_SETS.size());
        assertRolledBack(db);

        lb.rollbackCount(changelog("tables"), 5);
        assertThat(db.relations())
                .as("after rolling back the tables only Liquibase's tables and the engine's catalog are left")
                .allMatch(r -> r.startsWith("autopartition.") || r.startsWith("public.databasechangelog"));
    }

    /** The change sets of partitioning.*, in order. */
    static final List<String> CHANGE_SETS = List.copyOf(CHECKSUMS.keySet());

    private static void assertUpdated(Db db) {
        assertThat(db.partitionKey("events"))
                .as("the plain table from createTable is now partitioned")
                .isEqualTo("RANGE (created_at)");
        assertThat(db.relations()).as("its primary key is carried over").contains("public.events_pkey:I");
        assertThat(db.partitions("events"))
                .as("daily partitions: today and 3 ahead, the default partition and the backfill month")
                .containsExactly(
                        "events_2021_12: FOR VALUES FROM ('2021-12-01 00:00:00+00') TO ('2022-01-01 00:00:00+00')",
                        "events_default: DEFAULT",
                        "events_p20220110: FOR VALUES FROM ('2022-01-10 00:00:00+00') TO ('2022-01-11 00:00:00+00')",
                        "events_p20220111: FOR VALUES FROM ('2022-01-11 00:00:00+00') TO ('2022-01-12 00:00:00+00')",
                        "events_p20220112: FOR VALUES FROM ('2022-01-12 00:00:00+00') TO ('2022-01-13 00:00:00+00')",
                        "events_p20220113: FOR VALUES FROM ('2022-01-13 00:00:00+00') TO ('2022-01-14 00:00:00+00')");
        assertThat(db.partitionNames("readings"))
                .as("integer key from 0 by 1000, 5 ahead; readings_legacy was created and dropped again")
                .containsExactly(
                        "readings_p0",
                        "readings_p1000",
                        "readings_p2000",
                        "readings_p3000",
                        "readings_p4000",
                        "readings_p5000");
        assertThat(db.exists("public", "readings_legacy"))
                .as("dropPartition dropped it")
                .isFalse();
        assertThat(db.partitions("regions"))
                .as("list partitions, one value with a comma and one with a quote, and the default")
                .containsExactly(
                        "regions_dach: FOR VALUES IN ('de', 'at', 'ch')",
                        "regions_odd: FOR VALUES IN ('x,y', 'it''s')",
                        "regions_other: DEFAULT");
        assertThat(db.partitions("sessions"))
                .as("hash partitions")
                .containsExactly(
                        "sessions_0: FOR VALUES WITH (modulus 2, remainder 0)",
                        "sessions_1: FOR VALUES WITH (modulus 2, remainder 1)");
        assertThat(db.partitions("audit_log"))
                .as("monthly date partitions stay after dropAutoPartition")
                .containsExactly(
                        "audit_log_p202201: FOR VALUES FROM ('2022-01-01') TO ('2022-02-01')",
                        "audit_log_p202202: FOR VALUES FROM ('2022-02-01') TO ('2022-03-01')",
                        "audit_log_p202203: FOR VALUES FROM ('2022-03-01') TO ('2022-04-01')");
        assertThat(db.rules())
                .as("every option of the rules is saved; audit_log's rule was dropped")
                .containsExactly(
                        "events | created_at | 1 day | UTC | null | 2 | 3 | 30 days | drop | null | t"
                                + " | {table}_p{yyyyMMdd} | t",
                        "readings | reading_id | 1000 | UTC | 0 | 2 | 5 | 10000 | detach | null | f | null | t");
    }

    private static void assertRolledBack(Db db) {
        assertThat(db.rules())
                .as("rolling back autoPartition removes the rules")
                .isEmpty();
        assertThat(db.partitionNames("events"))
                .as("the explicit partition is dropped; the rule's partitions stay")
                .doesNotContain("events_2021_12")
                .contains("events_default", "events_p20220110");
        assertThat(db.partitionNames("regions"))
                .as("list and default partitions dropped")
                .isEmpty();
        assertThat(db.partitionNames("sessions")).as("hash partitions dropped").isEmpty();
        assertThat(db.partitionNames("readings"))
                .as("readings_legacy was created again by the rollback block, then dropped by its own rollback")
                .doesNotContain("readings_legacy")
                .contains("readings_p0");
        assertThat(db.history())
                .as("history")
                .containsOnlyKeys("events-table", "readings-table", "regions-table", "sessions-table", "audit-table");
    }
}
