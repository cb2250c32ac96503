package dev.autopartition;

import static org.assertj.core.api.Assertions.assertThat;

import dev.autopartition.testing.PostgresExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Rows that landed in the default partition move into their own partition, in batches, none lost. */
class DefaultPartitionIT {
    @RegisterExtension
    static final PostgresExtension pg = new PostgresExtension();

    @Test
    void strayRowsInTheDefaultPartitionAllEndUpInTheirProperPartitions() {
        pg.execute("CREATE TABLE readings (id bigserial, ts timestamptz, v int NOT NULL,"
                + " doubled int GENERATED ALWAYS AS (v * 2) STORED) PARTITION BY RANGE (ts)");
        Fixtures.MovableClock clock = new Fixtures.MovableClock("2022-01-10T12:00:00Z");
        AutoPartition ap = AutoPartition.configure(pg.dataSource())
                .clock(clock)
                .batchSize(7)
                .build();
        TableName readings = TableName.of("readings");
        ap.autoPartition(AutoPartitionSpec.builder(readings, "ts")
                .increment("1 day")
                .minimumAdvancePartitions(1)
                .maximumAdvancePartitions(1)
                .defaultPartition(true)
                .build());
        pg.execute(
                "INSERT INTO readings (ts, v) SELECT '2022-01-20 00:00+00'::timestamptz + i * interval '17 minutes',"
                        + " i FROM generate_series(0, 299) i",
                "INSERT INTO readings (ts, v) VALUES (NULL, -1)");
        TableStatus before = ap.status().stream()
                .filter(s -> s.table().equals(readings))
                .findFirst()
                .orElseThrow();
        assertThat(before.defaultRows()).as("status shows the stray rows").isEqualTo(301);
        assertThat(before.healthy()).isFalse();

        clock.set("2022-01-22T12:00:00Z");
        TableReport report = ap.maintain(readings).tables().get(0);

        assertThat(report.errors()).isEmpty();
        assertThat(report.movedRows())
                .as("every row up to the 23rd (one day ahead) moved")
                .isEqualTo(300);
        assertThat(Fixtures.number(
                        pg,
                        "SELECT count(*) FROM readings WHERE tableoid::regclass::text <>"
                                + " 'readings_p' || to_char(ts AT TIME ZONE 'UTC', 'YYYYMMDD')"))
                .as("rows outside their own day's partition")
                .isZero();
        assertThat(Fixtures.number(pg, "SELECT count(*) FROM ONLY readings_default"))
                .as("only the NULL key is left")
                .isEqualTo(1);
        assertThat(Fixtures.number(pg, "SELECT count(*) FROM readings"))
                .as("none lost")
                .isEqualTo(301);
        assertThat(Fixtures.number(pg, "SELECT sum(v) FROM readings WHERE doubled = v * 2"))
                .as("rows intact")
                .isEqualTo(299 * 300 / 2 - 1);
    }
}
