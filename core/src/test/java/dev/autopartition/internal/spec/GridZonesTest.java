package dev.autopartition.internal.spec;

import static org.assertj.core.api.Assertions.assertThat;

import dev.autopartition.Increment;
import dev.autopartition.internal.sql.KeyType;
import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import java.time.temporal.TemporalAdjusters;
import java.time.zone.ZoneOffsetTransition;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * The Java grid in every zone java.time knows, for every kind of increment, with no database: around each of the
 * zone's transitions from 2010 to 2030 (and, for months and longer, through all of 2010-2030) slots are in order, a
 * non-empty slot starts at a local period start or where the clocks jump over one, holds one local period at most,
 * and {@link Grid#slotOf} finds it. {@code TimeGridProperty} checks the same against PostgreSQL's own view of the
 * zones, through both maintainers.
 */
class GridZonesTest {
    private static final Instant FROM = Instant.parse("2010-01-01T00:00:00Z");
    private static final Instant TO = Instant.parse("2031-01-01T00:00:00Z");
    private static final KeyType TYPE = KeyType.TIMESTAMPTZ;

    enum Period {
        HOUR("1 hour"),
        SIX_HOURS("6 hours"),
        DAY("1 day"),
        WEEK("1 week"),
        MONTH("1 month"),
        QUARTER("3 months"),
        YEAR("1 year");

        final String increment;

        Period(String increment) {
            this.increment = increment;
        }

        LocalDateTime floor(LocalDateTime t) {
            LocalDate day = t.toLocalDate();
            return switch (this) {
                case HOUR -> t.truncatedTo(ChronoUnit.HOURS);
                case SIX_HOURS -> day.atTime(t.getHour() / 6 * 6, 0);
                case DAY -> day.atStartOfDay();
                case WEEK ->
                    day.with(TemporalAdjusters.previousOrSame(DayOfWeek.MONDAY)).atStartOfDay();
                case MONTH -> day.withDayOfMonth(1).atStartOfDay();
                case QUARTER ->
                    day.withDayOfMonth(1)
                            .withMonth((t.getMonthValue() - 1) / 3 * 3 + 1)
                            .atStartOfDay();
                case YEAR -> day.withDayOfYear(1).atStartOfDay();
            };
        }

        LocalDateTime next(LocalDateTime start) {
            return switch (this) {
                case HOUR -> start.plusHours(1);
                case SIX_HOURS -> start.plusHours(6);
                case DAY -> start.plusDays(1);
                case WEEK -> start.plusWeeks(1);
                case MONTH -> start.plusMonths(1);
                case QUARTER -> start.plusMonths(3);
                case YEAR -> start.plusYears(1);
            };
        }

        boolean whole() {
            return this == MONTH || this == QUARTER || this == YEAR;
        }
    }

    @Test
    void everyZoneEveryIncrement() {
        int zones = 0;
        long slots = 0;
        for (String id : new TreeSet<>(ZoneId.getAvailableZoneIds())) {
            ZoneId zone = ZoneId.of(id);
            zones++;
            for (Period period : Period.values()) {
                Increment increment = Increment.parse(period.increment);
                Grid grid = new Grid(TYPE, increment, Grid.defaultOrigin(TYPE, increment, zone), zone);
                TreeSet<Long> checked = new TreeSet<>();
                if (period.whole()) {
                    long first = grid.slotOf(micros(FROM));
                    long last = grid.slotOf(micros(TO));
                    for (long s = first; s <= last; s++) {
                        checked.add(s);
                    }
                }
                for (ZoneOffsetTransition t : transitions(zone)) {
                    long at = grid.slotOf(micros(t.getInstant()));
                    for (long s = at - 3; s <= at + 3; s++) {
                        checked.add(s);
                    }
                }
                for (long s : checked) {
                    check(grid, period, id, s);
                    slots++;
                }
            }
        }
        assertThat(zones).as("zones").isGreaterThan(500);
        assertThat(slots).as("slots checked").isGreaterThan(100_000);
    }

    private static void check(Grid grid, Period period, String zone, long slot) {
        long lo = grid.lower(slot);
        long hi = grid.upper(slot);
        String what = period.increment + " in " + zone + ", slot " + slot + " [" + TYPE.display(lo, grid.zone()) + ", "
                + TYPE.display(hi, grid.zone()) + ")";
        assertThat(lo).as("in order: %s", what).isLessThanOrEqualTo(hi);
        assertThat(grid.isEmpty(slot)).as(what).isEqualTo(lo == hi);
        if (lo == hi) {
            return;
        }
        LocalDateTime local = TYPE.toLocal(lo, grid.zone());
        LocalDateTime start = period.floor(local);
        if (!start.equals(local)) {
            assertThat(TYPE.toLocal(lo - 1, grid.zone()))
                    .as(
                            "%s starts at %s, not a period start, so the clocks must jump over %s there",
                            what, local, start)
                    .isBefore(start);
        }
        assertThat(TYPE.toLocal(hi - 1, grid.zone()))
                .as("one local period at most: %s", what)
                .isBefore(period.next(start));
        assertThat(grid.slotOf(lo)).as("slotOf its lower bound: %s", what).isEqualTo(slot);
        assertThat(grid.slotOf(hi - 1))
                .as("slotOf its last microsecond: %s", what)
                .isEqualTo(slot);
    }

    private static long micros(Instant instant) {
        return TYPE.fromInstant(instant, java.time.ZoneOffset.UTC);
    }

    private static List<ZoneOffsetTransition> transitions(ZoneId zone) {
        List<ZoneOffsetTransition> result = new ArrayList<>();
        ZoneOffsetTransition t = zone.getRules().nextTransition(FROM);
        while (t != null && t.getInstant().isBefore(TO)) {
            result.add(t);
            t = zone.getRules().nextTransition(t.getInstant());
        }
        return result;
    }
}
