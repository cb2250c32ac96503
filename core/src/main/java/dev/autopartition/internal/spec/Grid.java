package dev.autopartition.internal.spec;

import dev.autopartition.Increment;
import dev.autopartition.internal.sql.KeyType;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import java.time.zone.ZoneOffsetTransition;
import java.time.zone.ZoneRules;

/**
 * The partition grid of a table: slot {@code k} covers {@code [lower(k), lower(k + 1))}. Every bound, hours included,
 * is computed on wall-clock time in the table's zone from one origin and only then turned into a key value, so
 * across a daylight-saving change a day is 23 or 25 hours long, hourly bounds stay on local hour starts however far
 * the clocks move (half an hour on Lord Howe Island), and consecutive bounds never leave a gap or overlap.
 *
 * <p>A wall-clock time that happens twice means its earlier instant, so an hour that happens twice is one slot of
 * two hours. A wall-clock time that does not exist means the first instant after it, the moment the clocks jump: a
 * slot that lies wholly in the jump (the hour skipped in spring, the 30th of December 2011 in Samoa) has no instants,
 * {@code lower(k) == upper(k)}, and {@link #isEmpty} says so; the planner creates no partition for it.
 */
public final class Grid {
    private static final long MICROS_PER_HOUR = 3_600_000_000L;
    private static final long MICROS_PER_DAY = 24 * MICROS_PER_HOUR;

    private final KeyType type;
    private final Increment increment;
    private final long origin;
    private final ZoneId zone;
    private final LocalDateTime originLocal;

    public Grid(KeyType type, Increment increment, long origin, ZoneId zone) {
        checkFits(type, increment);
        this.type = type;
        this.increment = increment;
        this.origin = origin;
        this.zone = zone;
        this.originLocal = type.isTime() ? type.toLocal(origin, zone) : LocalDateTime.MIN;
    }

    /**
     * Checks that an increment suits a key type.
     *
     * @throws IllegalArgumentException saying why not
     */
    public static void checkFits(KeyType type, Increment increment) {
        if (type.isTime() && !increment.isInterval()) {
            throw new IllegalArgumentException(
                    "a " + type.sqlName() + " key needs an interval increment, not the number " + increment
                            + ". Fix: use an interval such as '1 day' or '1 month'");
        }
        if (!type.isTime() && increment.isInterval()) {
            throw new IllegalArgumentException("an integer key needs a whole-number increment, not '" + increment
                    + "'. Fix: use a number of key values such as 100000");
        }
        if (type == KeyType.DATE && increment.unit() == Increment.Unit.HOUR) {
            throw new IllegalArgumentException("a date key cannot be split into hours. Fix: use '1 day' or longer");
        }
        if (!type.isTime() && increment.count() > type.maxValue()) {
            throw new IllegalArgumentException("increment " + increment + " is larger than " + type.sqlName()
                    + " can hold. Fix: use a smaller increment");
        }
    }

    /**
     * The origin used when none is given: midnight of 2000-01-01 in the zone (a Monday, 2000-01-03, for weeks), so
     * days start at midnight, weeks on Monday and months on the 1st; zero for integer keys.
     */
    public static long defaultOrigin(KeyType type, Increment increment, ZoneId zone) {
        if (!type.isTime()) {
            return 0;
        }
        LocalDateTime origin = increment.unit() == Increment.Unit.WEEK
                ? LocalDateTime.of(2000, 1, 3, 0, 0)
                : LocalDateTime.of(2000, 1, 1, 0, 0);
        return type.fromLocal(origin, zone);
    }

    public KeyType type() {
        return type;
    }

    public ZoneId zone() {
        return zone;
    }

    public long origin() {
        return origin;
    }

    /** The lower bound of a slot. */
    public long lower(long slot) {
        long n = increment.count();
        return switch (increment.unit()) {
            case NUMBER -> Math.addExact(origin, Math.multiplyExact(slot, n));
            case HOUR ->
                type == KeyType.TIMESTAMP
                        ? Math.addExact(origin, Math.multiplyExact(slot, Math.multiplyExact(n, MICROS_PER_HOUR)))
                        : bound(originLocal.plusHours(Math.multiplyExact(slot, n)));
            case DAY -> days(Math.multiplyExact(slot, n));
            case WEEK -> days(Math.multiplyExact(slot, Math.multiplyExact(n, 7)));
            case MONTH -> bound(originLocal.plusMonths(Math.multiplyExact(slot, n)));
        };
    }

    private long days(long days) {
        return switch (type) {
            case DATE -> Math.addExact(origin, days);
            case TIMESTAMP -> Math.addExact(origin, Math.multiplyExact(days, MICROS_PER_DAY));
            default -> bound(originLocal.plusDays(days));
        };
    }

    /**
     * The key value of a wall-clock bound: as {@link KeyType#fromLocal}, except that a time that does not exist
     * means the instant the clocks jump, not the time moved later by the length of the jump (java.time's choice).
     * Moving later would put a bound inside the jump after the next one (the hours of a skipped day would land on the
     * day after it); the jump keeps bounds in order and makes the slots inside it empty.
     */
    private long bound(LocalDateTime local) {
        if (type == KeyType.TIMESTAMPTZ || type == KeyType.UUID) {
            ZoneRules rules = zone.getRules();
            if (rules.getValidOffsets(local).isEmpty()) {
                ZoneOffsetTransition jump = rules.getTransition(local);
                return type.fromInstant(jump.getInstant(), zone);
            }
        }
        return type.fromLocal(local, zone);
    }

    /** The upper bound of a slot, which is the lower bound of the next. */
    public long upper(long slot) {
        return lower(slot + 1);
    }

    /** Whether a slot holds no value: its period does not exist in the zone (the clocks jump over it). */
    public boolean isEmpty(long slot) {
        return lower(slot) >= upper(slot);
    }

    /** The slot that holds a value (never an empty one). */
    public long slotOf(long value) {
        long slot = estimate(value);
        while (lower(slot) > value) {
            slot--;
        }
        while (upper(slot) <= value) {
            slot++;
        }
        return slot;
    }

    /** The first slot whose lower bound is at or after the value. */
    public long firstSlotStartingAtOrAfter(long value) {
        long slot = slotOf(value);
        return lower(slot) == value ? slot : slot + 1;
    }

    private long estimate(long value) {
        long n = increment.count();
        return switch (increment.unit()) {
            case NUMBER -> Math.floorDiv(value - origin, n);
            case HOUR -> Math.floorDiv(ChronoUnit.HOURS.between(originLocal, type.toLocal(value, zone)), n);
            case DAY, WEEK -> {
                long perSlot = increment.unit() == Increment.Unit.WEEK ? 7 * n : n;
                long days = ChronoUnit.DAYS.between(
                        originLocal.toLocalDate(), type.toLocal(value, zone).toLocalDate());
                yield Math.floorDiv(days, perSlot);
            }
            case MONTH ->
                Math.floorDiv(
                        ChronoUnit.MONTHS.between(
                                originLocal.toLocalDate().withDayOfMonth(1),
                                type.toLocal(value, zone).toLocalDate().withDayOfMonth(1)),
                        n);
        };
    }

    /** The wall-clock time of a slot's lower bound (time keys), for naming. */
    public LocalDateTime lowerLocal(long slot) {
        return type.toLocal(lower(slot), zone);
    }
}
