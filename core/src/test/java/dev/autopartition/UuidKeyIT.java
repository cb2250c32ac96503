package dev.autopartition;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.autopartition.testing.PostgresExtension;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.Random;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A uuid key holding UUIDv7 values, partitioned by the time in them: bounds at millisecond precision, rows in the
 * partition of their time, a foreign key to (id), retention by time, and PostgreSQL 18's uuidv7().
 */
class UuidKeyIT {
    @RegisterExtension
    static final PostgresExtension pg = new PostgresExtension();

    private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("yyyyMMdd", Locale.ROOT);

    private static @Nullable String partitionOf(String table, UUID id) {
        return Fixtures.string(pg, "SELECT tableoid::regclass::text FROM " + table + " WHERE id = '" + id + "'::uuid");
    }

    private static void insert(String table, UUID... ids) {
        try (Connection c = pg.connection();
                PreparedStatement ps = c.prepareStatement("INSERT INTO " + table + " (id) VALUES (?)")) {
            for (UUID id : ids) {
                ps.setObject(1, id);
                ps.addBatch();
            }
            ps.executeBatch();
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void boundsSitOnMillisecondsAndApplicationGeneratedValuesLandByTheirTime() {
        // an empty plain table with a uuid primary key is converted; the key stays (id)
        pg.execute("CREATE TABLE events (id uuid PRIMARY KEY, body text)");
        Fixtures.MovableClock clock = new Fixtures.MovableClock("2022-01-10T12:00:00Z");
        AutoPartition ap = AutoPartition.configure(pg.dataSource()).clock(clock).build();
        ap.autoPartition(AutoPartitionSpec.builder(TableName.of("events"), "id")
                .increment("1 day")
                .initialLowerBound("2022-01-08")
                .maximumAdvancePartitions(2)
                .retention("3 days")
                .build());
        assertThat(Fixtures.partitions(pg, "events"))
                .as("2022-01-08 = 1641600000000 ms = 017e36fc2000; each day adds 86400000 ms")
                .containsExactly(
                        "events_p20220108: FOR VALUES FROM ('017e36fc-2000-0000-0000-000000000000')"
                                + " TO ('017e3c22-7c00-0000-0000-000000000000')",
                        "events_p20220109: FOR VALUES FROM ('017e3c22-7c00-0000-0000-000000000000')"
                                + " TO ('017e4148-d800-0000-0000-000000000000')",
                        "events_p20220110: FOR VALUES FROM ('017e4148-d800-0000-0000-000000000000')"
                                + " TO ('017e466f-3400-0000-0000-000000000000')",
                        "events_p20220111: FOR VALUES FROM ('017e466f-3400-0000-0000-000000000000')"
                                + " TO ('017e4b95-9000-0000-0000-000000000000')",
                        "events_p20220112: FOR VALUES FROM ('017e4b95-9000-0000-0000-000000000000')"
                                + " TO ('017e50bb-ec00-0000-0000-000000000000')");
        assertThat(Fixtures.strings(
                        pg,
                        "SELECT pg_get_constraintdef(oid) FROM pg_constraint WHERE conrelid = 'events'::regclass"
                                + " AND contype = 'p'"))
                .as("the primary key stays on (id), so foreign keys can point at it")
                .containsExactly("PRIMARY KEY (id)");

        long midnight = Instant.parse("2022-01-10T00:00:00Z").toEpochMilli();
        UUID lastOfNinth = Uuid7.last(midnight - 1);
        UUID firstOfTenth = Uuid7.first(midnight);
        insert("events", lastOfNinth, firstOfTenth);
        assertThat(partitionOf("events", lastOfNinth))
                .as("the largest UUIDv7 of 23:59:59.999 on the 9th")
                .isEqualTo("events_p20220109");
        assertThat(partitionOf("events", firstOfTenth))
                .as("the smallest UUIDv7 of midnight on the 10th")
                .isEqualTo("events_p20220110");

        Random random = new Random(7);
        Instant from = Instant.parse("2022-01-08T00:00:00Z");
        for (int i = 0; i < 200; i++) {
            Instant at = from.plusMillis((long) (random.nextDouble() * 5 * 86_400_000L));
            UUID id = Uuid7.at(at, random);
            insert("events", id);
            assertThat(partitionOf("events", id))
                    .as("%s made at %s", id, at)
                    .isEqualTo("events_p" + DAY.format(at.atZone(ZoneOffset.UTC)));
        }
        assertThat(ap.findPartition(TableName.of("events"), firstOfTenth.toString()))
                .map(PartitionInfo::name)
                .contains(TableName.of("events_p20220110"));
        assertThat(ap.findPartition(TableName.of("events"), lastOfNinth.toString()))
                .map(PartitionInfo::name)
                .contains(TableName.of("events_p20220109"));

        // a foreign key to (id) works on the partitioned table
        pg.execute(
                "CREATE TABLE comments (id bigint PRIMARY KEY, event_id uuid NOT NULL REFERENCES events (id))",
                "INSERT INTO comments VALUES (1, '" + firstOfTenth + "')");
        assertThatThrownBy(() -> pg.execute("INSERT INTO comments VALUES (2, '" + Uuid7.first(midnight + 1) + "')"))
                .as("an id that does not exist is refused")
                .hasMessageContaining("violates foreign key constraint");

        // retention goes by the time in the key
        clock.set("2022-01-13T12:00:00Z"); // cut-off Jan 10 12:00: the 8th and the 9th go
        TableReport report = ap.maintain(TableName.of("events")).tables().get(0);
        assertThat(report.dropped()).containsExactly("events_p20220108", "events_p20220109");
        assertThat(report.created()).contains("events_p20220113", "events_p20220114");
        assertThat(Fixtures.number(
                        pg, "SELECT count(*) FROM events WHERE id < '017e4148-d800-0000-0000-000000000000'::uuid"))
                .isZero();
        assertThat(Fixtures.number(pg, "SELECT count(*) FROM comments")).isEqualTo(1);
    }

    @Test
    void bothTheKeyTypeAndTheBoundsAreCheckedWhenTheRuleIsDeclared() {
        pg.execute("CREATE TABLE tokens (id uuid NOT NULL) PARTITION BY RANGE (id)");
        AutoPartition ap = AutoPartition.configure(pg.dataSource()).build();
        assertThatThrownBy(() -> ap.autoPartition(AutoPartitionSpec.builder(TableName.of("tokens"), "id")
                        .increment("1000")
                        .build()))
                .isInstanceOf(InvalidSpecException.class)
                .hasMessageContaining("needs an interval increment");
        assertThatThrownBy(() -> ap.autoPartition(AutoPartitionSpec.builder(TableName.of("tokens"), "id")
                        .increment("1 day")
                        .initialLowerBound("1969-12-01")
                        .build()))
                .isInstanceOf(InvalidSpecException.class)
                .hasMessageContaining("Initial lower bound of \"public\".\"tokens\"")
                .hasMessageContaining("from 1970");
        assertThat(Fixtures.partitionNames(pg, "tokens")).isEmpty();
    }

    @Test
    void uuidv7DefaultsOnPostgres18LandInTodaysPartition() {
        Assumptions.assumeTrue(
                pg.majorVersion() >= 18,
                "uuidv7() exists from PostgreSQL 18; this server is " + pg.majorVersion()
                        + " (run with -Dpg.major=18)");
        pg.execute("CREATE TABLE orders (id uuid PRIMARY KEY DEFAULT uuidv7(), item text) PARTITION BY RANGE (id)");
        AutoPartition ap = AutoPartition.configure(pg.dataSource()).build(); // the real clock, like uuidv7()
        ap.autoPartition(AutoPartitionSpec.builder(TableName.of("orders"), "id")
                .increment("1 hour")
                .build());
        pg.execute("INSERT INTO orders (item) SELECT 'item ' || g FROM generate_series(1, 50) g");
        assertThat(Fixtures.strings(
                        pg,
                        "SELECT DISTINCT tableoid::regclass::text = 'orders_p' || to_char(date_trunc('hour',"
                                + " uuid_extract_timestamp(id) AT TIME ZONE 'UTC'), 'YYYYMMDD_HH24MI') FROM orders"))
                .as("every uuidv7() row is in the partition named after the hour in its id")
                .containsExactly("t");
        assertThat(Fixtures.number(pg, "SELECT count(*) FROM orders")).isEqualTo(50);
    }
}
