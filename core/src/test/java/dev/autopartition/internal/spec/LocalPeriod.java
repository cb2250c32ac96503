package dev.autopartition.internal.spec;

import java.time.DayOfWeek;
import java.time.Duration;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.temporal.ChronoUnit;
import java.time.temporal.TemporalAdjusters;

/** A rule's period in the time-grid tests: its increment, its rough length and its local period starts. */
public enum LocalPeriod {
    HOUR("1 hour", Duration.ofHours(1)),
    SIX_HOURS("6 hours", Duration.ofHours(6)),
    DAY("1 day", Duration.ofDays(1)),
    WEEK("1 week", Duration.ofDays(7)),
    MONTH("1 month", Duration.ofDays(30)),
    QUARTER("3 months", Duration.ofDays(91)),
    YEAR("1 year", Duration.ofDays(365));

    public final String increment;
    public final Duration length;

    LocalPeriod(String increment, Duration length) {
        this.increment = increment;
        this.length = length;
    }

    /** Months and longer: checked over the whole span, not only around clock changes. */
    public boolean whole() {
        return this == MONTH || this == QUARTER || this == YEAR;
    }

    public boolean fine() {
        return length.compareTo(Duration.ofDays(1)) <= 0;
    }

    /** The start of the local period holding a wall-clock time. */
    public LocalDateTime floor(LocalDateTime t) {
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

    /** The start of the next local period. */
    public LocalDateTime next(LocalDateTime start) {
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
}
