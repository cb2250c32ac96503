package dev.autopartition.internal.spec;

import static org.assertj.core.api.Assertions.assertThat;

import dev.autopartition.Increment;
import dev.autopartition.internal.sql.KeyType;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
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

    @Test
    void everyZoneEveryIncrement() {
        int zones = 0;
        long slots = 0;
        for (String id : new TreeSet<>(ZoneId.getAvailableZoneIds())) {
            ZoneId zone = ZoneId.of(id);
            zones++;
            for (LocalPeriod period : LocalPeriod.values()) {
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

    private static void check(Grid grid, LocalPeriod period, String zone, long slot) {
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
