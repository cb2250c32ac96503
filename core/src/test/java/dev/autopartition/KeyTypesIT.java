package dev.autopartition;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.autopartition.testing.PostgresExtension;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Hourly, daily, monthly and integer tables on a real server, including daylight-saving days and month ends. */
class KeyTypesIT {
    @RegisterExtension
    static final PostgresExtension pg = new PostgresExtension();

    private static AutoPartition engine(String now) {
        return AutoPartition.configure(pg.dataSource())
                .clock(new Fixtures.MovableClock(now))
                .build();
    }

    @Test
    void hourlyPartitionsOfATimestampWithoutTimeZone() {
        pg.execute("CREATE TABLE readings (at timestamp NOT NULL, v int) PARTITION BY RANGE (at)");
        engine("2022-01-10T22:30:00Z")
                .autoPartition(AutoPartitionSpec.builder(TableName.of("readings"), "at")
                        .increment("1 hour")
                        .maximumAdvancePartitions(2)
                        .build());
        assertThat(Fixtures.partitions(pg, "readings"))
                .containsExactly(
                        "readings_p20220110_2200: FOR VALUES FROM ('2022-01-10 22:00:00') TO ('2022-01-10 23:00:00')",
                        "readings_p20220110_2300: FOR VALUES FROM ('2022-01-10 23:00:00') TO ('2022-01-11 00:00:00')",
                        "readings_p20220111_0000: FOR VALUES FROM ('2022-01-11 00:00:00') TO ('2022-01-11 01:00:00')");
        pg.execute("INSERT INTO readings VALUES ('2022-01-10 23:59:59.999999', 1)");
    }

    @Test
    void monthlyPartitionsOfADateKeyCrossMonthEndsAndLeapDays() {
        pg.execute("CREATE TABLE invoices (due date NOT NULL) PARTITION BY RANGE (due)");
        engine("2024-01-31T23:59:00Z")
                .autoPartition(AutoPartitionSpec.builder(TableName.of("invoices"), "due")
                        .increment("1 month")
                        .maximumAdvancePartitions(2)
                        .build());
        assertThat(Fixtures.partitions(pg, "invoices"))
                .containsExactly(
                        "invoices_p202401: FOR VALUES FROM ('2024-01-01') TO ('2024-02-01')",
                        "invoices_p202402: FOR VALUES FROM ('2024-02-01') TO ('2024-03-01')",
                        "invoices_p202403: FOR VALUES FROM ('2024-03-01') TO ('2024-04-01')");
        pg.execute("INSERT INTO invoices VALUES ('2024-02-29'), ('2024-01-31'), ('2024-03-31')");
    }

    @Test
    void dailyPartitionsInBerlinAndNewYorkAcrossDaylightSavingChanges() {
        pg.execute(
                "CREATE TABLE berlin (ts timestamptz NOT NULL) PARTITION BY RANGE (ts)",
                "CREATE TABLE new_york (ts timestamptz NOT NULL) PARTITION BY RANGE (ts)");
        engine("2022-03-26T12:00:00Z")
                .autoPartition(AutoPartitionSpec.builder(TableName.of("berlin"), "ts")
                        .increment("1 day")
                        .timeZone("Europe/Berlin")
                        .maximumAdvancePartitions(2)
                        .build());
        engine("2022-11-05T12:00:00Z")
                .autoPartition(AutoPartitionSpec.builder(TableName.of("new_york"), "ts")
                        .increment("1 day")
                        .timeZone("America/New_York")
                        .maximumAdvancePartitions(2)
                        .build());
        assertThat(Fixtures.partitions(pg, "berlin"))
                .containsExactly(
                        "berlin_p20220326: FOR VALUES FROM ('2022-03-25 23:00:00+00') TO ('2022-03-26 23:00:00+00')",
                        "berlin_p20220327: FOR VALUES FROM ('2022-03-26 23:00:00+00') TO ('2022-03-27 22:00:00+00')",
                        "berlin_p20220328: FOR VALUES FROM ('2022-03-27 22:00:00+00') TO ('2022-03-28 22:00:00+00')");
        assertThat(Fixtures.partitions(pg, "new_york"))
                .containsExactly(
                        "new_york_p20221105: FOR VALUES FROM ('2022-11-05 04:00:00+00') TO ('2022-11-06 04:00:00+00')",
                        "new_york_p20221106: FOR VALUES FROM ('2022-11-06 04:00:00+00') TO ('2022-11-07 05:00:00+00')",
                        "new_york_p20221107: FOR VALUES FROM ('2022-11-07 05:00:00+00') TO ('2022-11-08 05:00:00+00')");
        pg.execute("INSERT INTO berlin VALUES ('2022-03-27 01:59:59+01'), ('2022-03-27 03:00:00+02')");
        assertThat(Fixtures.string(pg, "SELECT string_agg(DISTINCT tableoid::regclass::text, ',') FROM berlin"))
                .as("both sides of the spring-forward gap are the same Berlin day")
                .isEqualTo("berlin_p20220327");
    }

    @Test
    void integerKeysFollowTheLargestValueAndFindPartitionLocatesValues() {
        pg.execute("CREATE TABLE events (id bigint NOT NULL) PARTITION BY RANGE (id)");
        AutoPartition ap = engine("2022-01-01T00:00:00Z");
        TableName events = TableName.of("events");
        ap.autoPartition(AutoPartitionSpec.builder(events, "id")
                .increment("1000")
                .minimumAdvancePartitions(1)
                .maximumAdvancePartitions(2)
                .build());
        assertThat(Fixtures.partitionNames(pg, "events")).containsExactly("events_p0", "events_p1000", "events_p2000");
        pg.execute("INSERT INTO events SELECT generate_series(0, 2500)");
        assertThat(ap.maintain().created())
                .as("max key 2500 leaves none ahead: two more")
                .isEqualTo(2);
        assertThat(Fixtures.partitionNames(pg, "events")).contains("events_p3000", "events_p4000");
        assertThat(ap.findPartition(events, "2999"))
                .get()
                .extracting(p -> p.name().name())
                .isEqualTo("events_p2000");
        assertThat(ap.findPartition(events, "99999")).isEmpty();
        assertThatThrownBy(() -> ap.findPartition(events, "1.5"))
                .isInstanceOf(InvalidSpecException.class)
                .hasMessageContaining("not a whole number");
    }

    @Test
    void waitForPartitionReturnsOnceMaintenanceHasCreatedIt() throws Exception {
        pg.execute("CREATE TABLE waits (ts timestamptz NOT NULL) PARTITION BY RANGE (ts)");
        Fixtures.MovableClock clock = new Fixtures.MovableClock("2022-01-10T00:00:00Z");
        AutoPartition ap = AutoPartition.configure(pg.dataSource()).clock(clock).build();
        TableName waits = TableName.of("waits");
        ap.autoPartition(AutoPartitionSpec.builder(waits, "ts")
                .increment("1 day")
                .minimumAdvancePartitions(1)
                .maximumAdvancePartitions(1)
                .build());
        assertThatThrownBy(() -> ap.waitForPartition(waits, "2022-01-20", Duration.ofMillis(300)))
                .isInstanceOf(AutoPartitionException.class)
                .hasMessageContaining("No partition of \"public\".\"waits\" holds 2022-01-20");
        Thread maintainer = new Thread(() -> {
            clock.set("2022-01-20T00:00:00Z");
            ap.maintain();
        });
        maintainer.start();
        PartitionInfo found = ap.waitForPartition(waits, "2022-01-20 10:00:00+00", Duration.ofSeconds(30));
        maintainer.join();
        assertThat(found.name().name()).isEqualTo("waits_p20220120");
        assertThat(found.lower()).isEqualTo("2022-01-20 00:00:00+00:00");
    }
}
