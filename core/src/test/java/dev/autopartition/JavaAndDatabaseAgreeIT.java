package dev.autopartition;

import static org.assertj.core.api.Assertions.assertThat;

import dev.autopartition.testing.PostgresExtension;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The Java maintainer and the in-database procedure, side by side on twin tables through a year of irregular clock
 * steps (across daylight-saving changes, month ends and a leap day): after every step both tables have partitions
 * of the same names with the same bounds, and the status's "creation due" is exactly when the Java planner starts
 * creating again.
 */
class JavaAndDatabaseAgreeIT {
    @RegisterExtension
    static final PostgresExtension pg = new PostgresExtension();

    static Stream<Arguments> rules() {
        return Stream.of(
                Arguments.of("timestamptz", "1 hour", "America/New_York", null, "1 day", null),
                Arguments.of("timestamptz", "6 hours", "Australia/Lord_Howe", null, "3 days", null),
                Arguments.of("timestamptz", "1 day", "Europe/Berlin", null, "10 days", null),
                Arguments.of("timestamptz", "1 day", "Asia/Kolkata", "2021-12-30 06:00", "1 month", "{table}_{yyMMdd}"),
                Arguments.of("timestamptz", "1 week", "America/Sao_Paulo", null, "5 weeks", null),
                Arguments.of("timestamptz", "1 month", "Europe/London", "2021-11-30", "1 quarter", null),
                Arguments.of("timestamptz", "3 months", "UTC", null, "1 year", "{table}_q{yyyy}{MM}"),
                Arguments.of("timestamptz", "1 day", "+05:30", null, "2 days 12 hours", null),
                Arguments.of("timestamp", "1 day", "Europe/Berlin", null, "1 week", null),
                Arguments.of("timestamp", "1 hour", "UTC", null, "30 hours", null),
                Arguments.of("date", "1 day", "UTC", null, "2 weeks", null),
                Arguments.of("date", "1 month", "Pacific/Auckland", "2022-01-31", "2 months", "{table}_{yyyy}_{M}"));
    }

    private static final List<String> STEPS = List.of(
            "PT0S",
            "PT7H",
            "P1D",
            "PT20H",
            "P3D",
            "P2DT5H",
            "P9D",
            "P30D",
            "PT1H",
            "P45D",
            "P20DT13H",
            "P60D",
            "P1DT1H",
            "P31D",
            "P17D",
            "P80D",
            "PT3H",
            "P2D",
            "P40D");

    @ParameterizedTest(name = "{0} by {1} in {2}")
    @MethodSource("rules")
    void bothMaintainersCreateAndRemoveTheSamePartitions(
            String type,
            String increment,
            String zone,
            @Nullable String initial,
            String retention,
            @Nullable String pattern) {
        String table =
                "t_" + Integer.toHexString((type + increment + zone).hashCode()).replace('-', 'm');
        pg.execute(
                "CREATE SCHEMA IF NOT EXISTS java_side",
                "CREATE SCHEMA IF NOT EXISTS db_side",
                "CREATE TABLE java_side." + table + " (k " + type + " NOT NULL) PARTITION BY RANGE (k)",
                "CREATE TABLE db_side." + table + " (k " + type + " NOT NULL) PARTITION BY RANGE (k)");
        Fixtures.MovableClock clock = new Fixtures.MovableClock("2022-01-30T22:47:13Z");
        AutoPartition ap = AutoPartition.configure(pg.dataSource()).clock(clock).build();
        ap.installDatabaseMaintenance();
        for (String schema : List.of("java_side", "db_side")) {
            ap.autoPartition(AutoPartitionSpec.builder(TableName.of(schema, table), "k")
                    .increment(increment)
                    .timeZone(zone)
                    .initialLowerBound(initial)
                    .minimumAdvancePartitions(2)
                    .maximumAdvancePartitions(4)
                    .retention(retention)
                    .namingPattern(pattern)
                    .enabled(false)
                    .build());
        }
        pg.execute("UPDATE autopartition.managed_table SET enabled = true");
        for (String step : STEPS) {
            clock.advance(Duration.parse(step));
            if (type.equals("timestamptz")) {
                checkCreationDue(ap, TableName.of("java_side", table), clock);
            }
            ap.maintain(TableName.of("java_side", table));
            pg.execute("CALL autopartition.run_maintenance('db_side." + table + "', '" + clock.instant() + "')");
            assertThat(partitions("db_side", table))
                    .as("at %s", clock.instant())
                    .isNotEmpty()
                    .isEqualTo(partitions("java_side", table));
        }
        assertThat(ap.maintenanceHistory(TableName.of("db_side", table), 100))
                .as("the procedure's history matches the Java maintainer's, run for run")
                .extracting(run -> run.created().size() + "+" + run.removed().size())
                .isEqualTo(ap.maintenanceHistory(TableName.of("java_side", table), 100).stream()
                        .map(run -> run.created().size() + "+" + run.removed().size())
                        .toList());
        pg.execute(
                "DROP TABLE java_side." + table,
                "DROP TABLE db_side." + table,
                "DELETE FROM autopartition.managed_table");
    }

    /** "Creation due" is the first instant at which the Java planner creates partitions again. */
    private static void checkCreationDue(AutoPartition ap, TableName table, Fixtures.MovableClock clock) {
        TableStatus status = ap.status().stream()
                .filter(s -> s.table().equals(table))
                .findFirst()
                .orElseThrow();
        String due = status.creationDue();
        assertThat(due).as("creation due of %s", table).isNotNull();
        Instant dueAt = OffsetDateTime.parse(
                        String.valueOf(due), DateTimeFormatter.ofPattern("uuuu-MM-dd HH:mm:ssxxx", Locale.ROOT))
                .toInstant();
        Instant now = clock.instant();
        if (!dueAt.isAfter(now)) {
            assertThat(creates(ap, table)).as("due at %s, now %s", due, now).isTrue();
            return;
        }
        assertThat(creates(ap, table))
                .as("not due before %s (now %s)", due, now)
                .isFalse();
        clock.set(dueAt.minusNanos(1000).toString());
        assertThat(creates(ap, table)).as("not due 1 µs before %s", due).isFalse();
        clock.set(dueAt.toString());
        assertThat(creates(ap, table)).as("due at %s", due).isTrue();
        clock.set(now.toString());
    }

    private static boolean creates(AutoPartition ap, TableName table) {
        return ap.plan(table).steps().stream().anyMatch(s -> s.action().startsWith("create partition"));
    }

    /** The partitions of one twin, as {@code name: bound}, in name order. */
    private static List<String> partitions(String schema, String table) {
        return new ArrayList<>(Fixtures.partitions(pg, schema + "." + table));
    }
}
