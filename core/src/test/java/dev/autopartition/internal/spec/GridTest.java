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
    void hoursAcrossBerlinSpringForwardSkipTheHourThatDoesNotExist() {
        Grid grid = grid(KeyType.TIMESTAMPTZ, "1 hour", BERLIN);
        long slot = grid.slotOf(micros("2022-03-27T00:30:00Z")); // 01:30 local, the hour before the jump
        assertThat(bounds(grid, "2022-03-27T00:30:00Z", 3))
                .as("01:00, then 02:00 (which does not exist: the jump at 03:00 CEST), 03:00, 04:00")
                .containsExactly(
                        "'2022-03-27 00:00:00+00'::timestamptz",
                        "'2022-03-27 01:00:00+00'::timestamptz",
                        "'2022-03-27 01:00:00+00'::timestamptz",
                        "'2022-03-27 02:00:00+00'::timestamptz");
        assertThat(grid.isEmpty(slot + 1)).as("02:00 local is skipped").isTrue();
        assertThat(grid.isEmpty(slot)).isFalse();
        assertThat(grid.slotOf(micros("2022-03-27T01:00:00Z")))
                .as("03:00 CEST is in the slot of 03:00, not the empty one")
                .isEqualTo(slot + 2);
    }

    @Test
    void anHourThatHappensTwiceIsOneSlotOfTwoHours() {
        Grid grid = grid(KeyType.TIMESTAMPTZ, "1 hour", BERLIN);
        assertThat(bounds(grid, "2022-10-30T00:30:00Z", 2))
                .as("02:00 CEST to 03:00 CET: both 02:00 hours in one slot")
                .containsExactly(
                        "'2022-10-30 00:00:00+00'::timestamptz",
                        "'2022-10-30 02:00:00+00'::timestamptz",
                        "'2022-10-30 03:00:00+00'::timestamptz");
        assertThat(grid.slotOf(micros("2022-10-30T01:30:00Z")))
                .as("02:30 CET, the second time round")
                .isEqualTo(grid.slotOf(micros("2022-10-30T00:30:00Z")));
    }

    @Test
    void lordHoweHoursStayOnLocalHourStartsAcrossItsHalfHourShifts() {
        ZoneId lordHowe = ZoneId.of("Australia/Lord_Howe");
        Grid grid = grid(KeyType.TIMESTAMPTZ, "1 hour", lordHowe);
        assertThat(bounds(grid, "2026-04-04T13:10:00Z", 4))
                .as("2026-04-05: at 02:00 +11:00 the clocks go back to 01:30 +10:30; bounds stay at 00:00, 01:00, 02:00"
                        + " and 03:00 local, so the 01:00 slot is 90 minutes long")
                .containsExactly(
                        "'2026-04-04 13:00:00+00'::timestamptz",
                        "'2026-04-04 14:00:00+00'::timestamptz",
                        "'2026-04-04 15:30:00+00'::timestamptz",
                        "'2026-04-04 16:30:00+00'::timestamptz",
                        "'2026-04-04 17:30:00+00'::timestamptz");
        for (int i = 0; i < 24; i++) {
            long slot = grid.slotOf(micros("2026-04-05T00:00:00Z")) + i;
            assertThat(grid.lowerLocal(slot).getMinute())
                    .as("slot %s starts at %s", slot, grid.lowerLocal(slot))
                    .isZero();
        }
        assertThat(bounds(grid, "2026-10-03T14:40:00Z", 3))
                .as("2026-10-04: at 02:00 +10:30 the clocks jump to 02:30 +11:00; the 02:00 slot starts at the jump"
                        + " and lasts 30 minutes")
                .containsExactly(
                        "'2026-10-03 14:30:00+00'::timestamptz",
                        "'2026-10-03 15:30:00+00'::timestamptz",
                        "'2026-10-03 16:00:00+00'::timestamptz",
                        "'2026-10-03 17:00:00+00'::timestamptz");
        Grid sixHours = grid(KeyType.TIMESTAMPTZ, "6 hours", lordHowe);
        assertThat(bounds(sixHours, "2026-04-05T00:00:00Z", 2))
                .as("6 hours: 06:00, 12:00 and 18:00 local on the 5th, after the shift")
                .containsExactly(
                        "'2026-04-04 19:30:00+00'::timestamptz",
                        "'2026-04-05 01:30:00+00'::timestamptz",
                        "'2026-04-05 07:30:00+00'::timestamptz");
    }

    @Test
    void apiaSkipsTheThirtiethOfDecember2011() {
        ZoneId apia = ZoneId.of("Pacific/Apia");
        Grid days = grid(KeyType.TIMESTAMPTZ, "1 day", apia);
        long the29th = days.slotOf(micros("2011-12-29T12:00:00Z")); // 02:00 on the 29th, -10:00
        assertThat(bounds(days, "2011-12-29T12:00:00Z", 3))
                .as("the 29th (-10:00), the 30th (does not exist), the 31st (+14:00)")
                .containsExactly(
                        "'2011-12-29 10:00:00+00'::timestamptz",
                        "'2011-12-30 10:00:00+00'::timestamptz",
                        "'2011-12-30 10:00:00+00'::timestamptz",
                        "'2011-12-31 10:00:00+00'::timestamptz");
        assertThat(days.isEmpty(the29th + 1)).as("the 30th is empty").isTrue();
        assertThat(days.lowerLocal(the29th + 2)).hasToString("2011-12-31T00:00");
        assertThat(days.slotOf(micros("2011-12-30T10:00:00Z")))
                .as("the first instant after the jump is on the 31st")
                .isEqualTo(the29th + 2);

        Grid hours = grid(KeyType.TIMESTAMPTZ, "1 hour", apia);
        long lastOf29th = hours.slotOf(micros("2011-12-30T09:30:00Z")); // 23:30 on the 29th
        assertThat(hours.upper(lastOf29th)).isEqualTo(micros("2011-12-30T10:00:00Z"));
        for (int i = 1; i <= 24; i++) {
            assertThat(hours.lower(lastOf29th + i))
                    .as("hour %s of the 30th starts (and ends) at the jump", i - 1)
                    .isEqualTo(micros("2011-12-30T10:00:00Z"));
            assertThat(hours.isEmpty(lastOf29th + i)).isTrue();
        }
        assertThat(hours.lowerLocal(lastOf29th + 25)).hasToString("2011-12-31T00:00");
        assertThat(hours.isEmpty(lastOf29th + 25)).isFalse();
        assertThat(hours.slotOf(micros("2011-12-30T10:00:00Z"))).isEqualTo(lastOf29th + 25);
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
