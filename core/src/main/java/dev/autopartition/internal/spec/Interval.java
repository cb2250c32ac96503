package dev.autopartition.internal.spec;

import java.time.LocalDateTime;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A period such as a retention: months, days and hours, applied to wall-clock time as PostgreSQL applies an
 * interval to a timestamp (months first, then days, then hours).
 */
public record Interval(long months, long days, long hours) {
    private static final Pattern PART = Pattern.compile("\\s*(\\d+)\\s*([a-z]+)\\s*");

    /**
     * Parses {@code 30 days}, {@code 1 year 6 months}, {@code 12 hours} and the like.
     *
     * @throws IllegalArgumentException with a message saying what is accepted
     */
    public static Interval parse(String text) {
        String t = text.trim().toLowerCase(Locale.ROOT);
        Matcher m = PART.matcher(t);
        long months = 0;
        long days = 0;
        long hours = 0;
        int end = 0;
        while (m.find() && m.start() == end) {
            long n = Long.parseLong(m.group(1));
            String unit = m.group(2).endsWith("s")
                    ? m.group(2).substring(0, m.group(2).length() - 1)
                    : m.group(2);
            switch (unit) {
                case "hour" -> hours += n;
                case "day" -> days += n;
                case "week" -> days += 7 * n;
                case "month" -> months += n;
                case "quarter" -> months += 3 * n;
                case "year" -> months += 12 * n;
                default -> throw new IllegalArgumentException("unknown unit '" + m.group(2) + "'");
            }
            end = m.end();
        }
        if (end == 0 || end != t.length()) {
            throw new IllegalArgumentException("expected numbers with units (hour, day, week, month, quarter, year)");
        }
        return new Interval(months, days, hours);
    }

    /** The wall-clock time this interval before {@code time}. */
    public LocalDateTime before(LocalDateTime time) {
        return time.minusMonths(months).minusDays(days).minusHours(hours);
    }

    /** An approximate length in hours (a month counts 30 days, as PostgreSQL compares intervals). */
    public long approximateHours() {
        return months * 30 * 24 + days * 24 + hours;
    }
}
