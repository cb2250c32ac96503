package dev.autopartition;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.autopartition.testing.PostgresExtension;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Range, list, hash and default partitions created on request, always as a standalone table plus ATTACH. */
class ExplicitPartitionsIT {
    @RegisterExtension
    static final PostgresExtension pg = new PostgresExtension();

    private static AutoPartition ap;

    @BeforeAll
    static void setUp() {
        pg.execute(
                "CREATE TABLE ranged (day date NOT NULL, v int) PARTITION BY RANGE (day)",
                "CREATE TABLE listed (region text NOT NULL) PARTITION BY LIST (region)",
                "CREATE TABLE hashed (id bigint NOT NULL) PARTITION BY HASH (id)");
        ap = AutoPartition.configure(pg.dataSource()).build();
    }

    @Test
    void rangePartitionsWithGeneratedOrGivenNames() {
        TableName ranged = TableName.of("ranged");
        Plan plan = ap.planCreatePartition(ranged, null, PartitionBounds.range("2022-01-01", "2022-02-01"));
        assertThat(plan.toSql())
                .contains(
                        "CREATE TABLE \"public\".\"ranged_p20220101\" (LIKE \"public\".\"ranged\"",
                        "ALTER TABLE \"public\".\"ranged\" ATTACH PARTITION \"public\".\"ranged_p20220101\" FOR VALUES FROM"
                                + " ('2022-01-01'::date) TO ('2022-02-01'::date)",
                        "lock: SHARE UPDATE EXCLUSIVE on \"public\".\"ranged\"");
        assertThat(Fixtures.partitionNames(pg, "ranged"))
                .as("plans change nothing")
                .isEmpty();

        ap.createPartition(ranged, null, PartitionBounds.range("2022-01-01", "2022-02-01"));
        ap.createPartition(ranged, "February", PartitionBounds.range("2022-02-01", "2022-03-01"));
        assertThat(Fixtures.partitions(pg, "ranged"))
                .containsExactly(
                        "February: FOR VALUES FROM ('2022-02-01') TO ('2022-03-01')",
                        "ranged_p20220101: FOR VALUES FROM ('2022-01-01') TO ('2022-02-01')");
        assertThat(Fixtures.number(pg, "SELECT count(*) FROM pg_constraint WHERE conname = 'autopartition_bounds'"))
                .as("the proving CHECK is gone after ATTACH")
                .isZero();
        assertThatThrownBy(() -> ap.createPartition(ranged, null, PartitionBounds.range("2022-01-15", "2022-02-15")))
                .isInstanceOf(InvalidSpecException.class)
                .hasMessageContaining("overlaps existing partition");
        assertThatThrownBy(() -> ap.createPartition(ranged, null, PartitionBounds.range("2022-03-01 10:00", "x")))
                .isInstanceOf(InvalidSpecException.class)
                .hasMessageContaining("has a time of day, but the key is a date");
        assertThatThrownBy(() -> ap.createPartition(ranged, null, PartitionBounds.values("a")))
                .isInstanceOf(InvalidSpecException.class)
                .hasMessageContaining("it is partitioned by RANGE");
    }

    @Test
    void listHashAndDefaultPartitions() {
        ap.createPartition(TableName.of("listed"), null, PartitionBounds.values("eu", "o'hare"));
        ap.createPartition(TableName.of("listed"), null, PartitionBounds.defaultPartition());
        for (int r = 0; r < 3; r++) {
            ap.createPartition(TableName.of("hashed"), null, PartitionBounds.hash(3, r));
        }
        assertThat(Fixtures.partitions(pg, "listed"))
                .containsExactly("listed_eu: FOR VALUES IN ('eu', 'o''hare')", "listed_default: DEFAULT");
        assertThat(Fixtures.partitionNames(pg, "hashed")).containsExactly("hashed_h3_0", "hashed_h3_1", "hashed_h3_2");
        pg.execute(
                "INSERT INTO listed VALUES ('o''hare'), ('us')", "INSERT INTO hashed SELECT generate_series(1, 100)");
        assertThat(Fixtures.number(pg, "SELECT count(*) FROM listed_default")).isEqualTo(1);
        assertThatThrownBy(() -> PartitionBounds.hash(3, 3))
                .isInstanceOf(InvalidSpecException.class)
                .hasMessageContaining("remainder from 0 to modulus - 1");
    }

    @Test
    void dropPartitionDetachesThenDrops() {
        pg.execute("CREATE TABLE dropping (id int NOT NULL) PARTITION BY RANGE (id)");
        TableName dropping = TableName.of("dropping");
        ap.createPartition(dropping, "low", PartitionBounds.range("0", "10"));
        ap.createPartition(dropping, "high", PartitionBounds.range("10", "20"));
        assertThat(ap.planDropPartition(TableName.of("low")).toSql())
                .contains("DETACH PARTITION \"public\".\"low\" CONCURRENTLY", "DROP TABLE \"public\".\"low\"");
        ap.dropPartition(TableName.of("low"));
        assertThat(Fixtures.partitionNames(pg, "dropping")).containsExactly("high");
        assertThat(Fixtures.number(pg, "SELECT count(*) FROM pg_class WHERE relname = 'low'"))
                .isZero();
        assertThatThrownBy(() -> ap.dropPartition(TableName.of("dropping")))
                .isInstanceOf(InvalidSpecException.class)
                .hasMessageContaining("is not a partition of any table");
    }
}
