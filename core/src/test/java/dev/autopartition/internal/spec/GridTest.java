package dev.autopartition.internal.spec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.autopartition.Increment;
import dev.autopartition.internal.sql.KeyType;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class GridTest {
    private static final ZoneId BERLIN = ZoneId.of("Europe/Berlin");
    private static final ZoneId NEW_YORK = ZoneId.of("America/New_York");

    private static Grid grid(KeyType type, String increment, ZoneId zone) {
        Increment inc = Increment.parse(increment);
        return new Grid(type, inc, Grid.defaultOrigin(type, inc, zone), zone);
    }

    private static long micros(String instant) {
        return KeyType.TIMESTAMPTZ.fromInstant(Instant.parse(instant), ZoneOffset.UTC);
    }

    private static List<String> bounds(Grid grid, String from, int count) {
        long slot = grid.slotOf(micros(from));
        List<String> result = new ArrayList<>();
        for (int i = 0; i <= count; i++) {
            result.add(grid.type().literal(grid.lower(slot + i)));
        }
        return result;
    }

    @Test
    void berlinDaysAcrossSpringForwardAndFallBackStartAtLocalMidnight() {
        Grid grid = grid(KeyType.TIMESTAMPTZ, "1 day", BERLIN);
        assertThat(bounds(grid, "2022-03-26T12:00:00Z", 2))
                .as("the 27th of March 2022 has 23 hours in Berlin")
                .containsExactly(
                        "'2022-03-25 23:00:00+00'::timestamptz",
                        "'2022-03-26 23:00:00+00'::timestamptz",
                        "'2022-03-27 22:00:00+00'::timestamptz");
        assertThat(bounds(grid, "2022-10-29T12:00:00Z", 2))
                .as("the 30th of October 2022 has 25 hours in Berlin")
                .containsExactly(
                        "'2022-10-28 22:00:00+00'::timestamptz",
                        "'2022-10-29 22:00:00+00'::timestamptz",
                        "'2022-10-30 23:00:00+00'::timestamptz");
    }

    @Test
    void newYorkDaysAcrossDaylightSavingChanges() {
        Grid grid = grid(KeyType.TIMESTAMPTZ, "1 day", NEW_YORK);
        assertThat(bounds(grid, "2022-03-13T12:00:00Z", 1))
                .containsExactly("'2022-03-13 05:00:00+00'::timestamptz", "'2022-03-14 04:00:00+00'::timestamptz");
        assertThat(bounds(grid, "2022-11-06T12:00:00Z", 1))
                .containsExactly("'2022-11-06 04:00:00+00'::timestamptz", "'2022-11-07 05:00:00+00'::timestamptz");
    }

    @Test
    void hoursAcrossBerlinSpringForwardHaveNoGapOrOverlap() {
        Grid grid = grid(KeyType.TIMESTAMPTZ, "1 hour", BERLIN);
        long slot = grid.slotOf(micros("2022-03-27T00:30:00Z"));
        for (long s = slot - 3; s < slot + 3; s++) {
            assertThat(grid.upper(s) - grid.lower(s)).as("an hour is an hour").isEqualTo(3_600_000_000L);
            assertThat(grid.upper(s)).as("contiguous").isEqualTo(grid.lower(s + 1));
        }
        assertThat(grid.type().literal(grid.lower(slot))).isEqualTo("'2022-03-27 00:00:00+00'::timestamptz");
    }

    @Test
    void monthsEndOnTheFirstWhateverTheLengthOfTheMonth() {
        Grid grid = grid(KeyType.TIMESTAMPTZ, "1 month", BERLIN);
        assertThat(bounds(grid, "2024-01-31T12:00:00Z", 3))
                .containsExactly(
                        "'2023-12-31 23:00:00+00'::timestamptz",
                        "'2024-01-31 23:00:00+00'::timestamptz",
                        "'2024-02-29 23:00:00+00'::timestamptz",
                        "'2024-03-31 22:00:00+00'::timestamptz");
    }

    @Test
    void quartersYearsAndWeeksAlign() {
        Grid quarters = grid(KeyType.DATE, "1 quarter", ZoneOffset.UTC);
        long may = java.time.LocalDate.parse("2022-05-17").toEpochDay();
        assertThat(KeyType.DATE.literal(quarters.lower(quarters.slotOf(may)))).isEqualTo("'2022-04-01'::date");
        Grid years = grid(KeyType.DATE, "1 year", ZoneOffset.UTC);
        assertThat(KeyType.DATE.literal(years.upper(years.slotOf(may)))).isEqualTo("'2023-01-01'::date");
        Grid weeks = grid(KeyType.TIMESTAMP, "1 week", ZoneOffset.UTC);
        long thursday = KeyType.TIMESTAMP.parse("2022-01-13 10:00", ZoneOffset.UTC);
        assertThat(KeyType.TIMESTAMP.literal(weeks.lower(weeks.slotOf(thursday))))
                .as("weeks start on Monday")
                .isEqualTo("'2022-01-10 00:00:00'::timestamp");
    }

    @Test
    void integerSlotsAreFloorDivisionsIncludingNegatives() {
        Grid grid = grid(KeyType.BIGINT, "1000", ZoneOffset.UTC);
        assertThat(grid.lower(grid.slotOf(1999))).isEqualTo(1000);
        assertThat(grid.lower(grid.slotOf(-1))).isEqualTo(-1000);
        assertThat(grid.upper(grid.slotOf(0))).isEqualTo(1000);
    }

    @Test
    void refusesIncrementsThatDoNotFitTheKey() {
        assertThatThrownBy(() -> grid(KeyType.DATE, "6 hours", ZoneOffset.UTC))
                .hasMessageContaining("date key cannot be split into hours");
        assertThatThrownBy(() -> grid(KeyType.INTEGER, "1 day", ZoneOffset.UTC))
                .hasMessageContaining("whole-number increment");
        assertThatThrownBy(() -> grid(KeyType.TIMESTAMPTZ, "1000", ZoneOffset.UTC))
                .hasMessageContaining("interval increment");
        assertThatThrownBy(() -> grid(KeyType.SMALLINT, "100000", ZoneOffset.UTC))
                .hasMessageContaining("larger than smallint");
    }
}
