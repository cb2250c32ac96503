package dev.autopartition;

import static org.assertj.core.api.Assertions.assertThat;

import dev.autopartition.testing.PostgresExtension;
import java.time.Duration;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Each retention action, measured on a partition's upper bound, and only on partitions the engine owns. */
class RetentionIT {
    @RegisterExtension
    static final PostgresExtension pg = new PostgresExtension();

    private static AutoPartition declare(String table, RetentionAction action, @Nullable String schema) {
        pg.execute("CREATE TABLE " + table + " (ts timestamptz NOT NULL, v int) PARTITION BY RANGE (ts)");
        Fixtures.MovableClock clock = new Fixtures.MovableClock("2022-01-01T12:00:00Z");
        AutoPartition ap = AutoPartition.configure(pg.dataSource()).clock(clock).build();
        ap.autoPartition(AutoPartitionSpec.builder(TableName.of(table), "ts")
                .increment("1 day")
                .minimumAdvancePartitions(1)
                .maximumAdvancePartitions(1)
                .retention("2 days")
                .retentionAction(action)
                .retentionSchema(schema)
                .build());
        pg.execute("INSERT INTO " + table + " VALUES ('2022-01-01 10:00+00', 1), ('2022-01-02 10:00+00', 2)");
        clock.advance(Duration.ofDays(4)); // now the 5th at noon: cut-off the 3rd at noon
        return ap;
    }

    @Test
    void dropRemovesPartitionsWhoseUpperBoundIsPastRetention() {
        AutoPartition ap = declare("dropped", RetentionAction.DROP, null);
        MaintenanceReport report = ap.maintain(TableName.of("dropped"));
        assertThat(report.tables().get(0).dropped()).containsExactly("dropped_p20220101", "dropped_p20220102");
        assertThat(Fixtures.partitionNames(pg, "dropped"))
                .containsExactly("dropped_p20220103", "dropped_p20220104", "dropped_p20220105", "dropped_p20220106");
        assertThat(Fixtures.number(pg, "SELECT count(*) FROM pg_class WHERE relname = 'dropped_p20220101'"))
                .as("dropped, not just detached")
                .isZero();
        assertThat(
                        Fixtures.number(
                                pg,
                                "SELECT count(*) FROM autopartition.managed_partition"
                                        + " WHERE partition_name LIKE 'dropped_p2022010_' AND partition_name <= 'dropped_p20220102'"))
                .as("forgotten by the catalog")
                .isZero();
    }

    @Test
    void detachKeepsTheTableWithItsRows() {
        AutoPartition ap = declare("kept", RetentionAction.DETACH, null);
        assertThat(ap.maintain(TableName.of("kept")).tables().get(0).detached())
                .containsExactly("kept_p20220101", "kept_p20220102");
        assertThat(Fixtures.partitionNames(pg, "kept")).doesNotContain("kept_p20220101");
        assertThat(Fixtures.number(pg, "SELECT count(*) FROM kept_p20220101")).isEqualTo(1);
        assertThat(Fixtures.number(pg, "SELECT count(*) FROM kept"))
                .as("no longer seen through the parent")
                .isZero();
        assertThat(ap.maintain(TableName.of("kept")).removed())
                .as("a detached partition is not touched again")
                .isZero();
    }

    @Test
    void moveDetachesIntoTheRetentionSchema() {
        pg.execute("CREATE SCHEMA archive");
        AutoPartition ap = declare("moved", RetentionAction.MOVE, "archive");
        assertThat(ap.maintain(TableName.of("moved")).tables().get(0).moved())
                .containsExactly("moved_p20220101", "moved_p20220102");
        assertThat(Fixtures.number(pg, "SELECT count(*) FROM archive.moved_p20220102"))
                .isEqualTo(1);
        assertThat(Fixtures.string(
                        pg,
                        "SELECT schema_name FROM autopartition.managed_partition"
                                + " WHERE partition_name = 'moved_p20220101'"))
                .isEqualTo("archive");
    }

    @Test
    void partitionsTheEngineDoesNotOwnAreNeverRemoved() {
        AutoPartition ap = declare("mixed", RetentionAction.DROP, null);
        pg.execute(
                "CREATE TABLE handmade (LIKE mixed)",
                "ALTER TABLE mixed ATTACH PARTITION handmade FOR VALUES FROM ('2021-12-01 00:00+00') TO"
                        + " ('2021-12-02 00:00+00')");
        ap.maintain(TableName.of("mixed"));
        assertThat(Fixtures.partitionNames(pg, "mixed"))
                .as("made by hand after the rule: not ours")
                .contains("handmade");
    }
}
