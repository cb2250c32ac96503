package dev.autopartition;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The width of one partition: a PostgreSQL-style interval of one unit ({@code 1 hour}, {@code 1 day}, {@code 1
 * week}, {@code 1 month}, {@code 1 quarter}, {@code 1 year}, and multiples such as {@code 6 hours} or {@code 3
 * months}) for time keys, or a whole number ({@code 100000}) for integer keys.
 */
public record Increment(Unit unit, long count) {
    private static final Pattern INTERVAL = Pattern.compile("(\\d+)\\s*([a-z]+)");

    /** The unit of an increment. Quarters and years are kept as months, which is how they align. */
    public enum Unit {
        HOUR,
        DAY,
        WEEK,
        MONTH,
        /** A plain number, for integer keys. */
        NUMBER
    }

    public Increment {
        if (count <= 0) {
            throw new InvalidSpecException(
                    SpecField.INCREMENT,
                    "Increment must be positive, was " + count + ". Fix: use for example '1 day' or 1000.");
        }
    }

    /**
     * Parses an increment.
     *
     * @throws InvalidSpecException naming the text and the accepted forms
     */
    public static Increment parse(String text) {
        String t = text.trim().toLowerCase(Locale.ROOT);
        if (t.matches("\\d+")) {
            try {
                return new Increment(Unit.NUMBER, Long.parseLong(t));
            } catch (NumberFormatException e) {
                throw bad(text);
            }
        }
        Matcher m = INTERVAL.matcher(t);
        if (!m.matches()) {
            throw bad(text);
        }
        long n = Long.parseLong(m.group(1));
        return switch (singular(m.group(2))) {
            case "hour" -> new Increment(Unit.HOUR, n);
            case "day" -> new Increment(Unit.DAY, n);
            case "week" -> new Increment(Unit.WEEK, n);
            case "month" -> new Increment(Unit.MONTH, n);
            case "quarter" -> new Increment(Unit.MONTH, Math.multiplyExact(n, 3));
            case "year" -> new Increment(Unit.MONTH, Math.multiplyExact(n, 12));
            default -> throw bad(text);
        };
    }

    private static String singular(String unit) {
        return unit.endsWith("s") ? unit.substring(0, unit.length() - 1) : unit;
    }

    private static InvalidSpecException bad(String text) {
        return new InvalidSpecException(
                SpecField.INCREMENT,
                "Increment '" + text + "' does not parse. Fix: write a number and one unit"
                        + " (hour, day, week, month, quarter, year), such as '1 day' or '3 months', or a whole number such"
                        + " as 100000 for an integer key.");
    }

    /** Whether this is an interval (for time keys) rather than a number. */
    public boolean isInterval() {
        return unit != Unit.NUMBER;
    }

    /** An approximate length in hours, for comparing with retention periods (a month counts 30 days). */
    public long approximateHours() {
        return switch (unit) {
            case HOUR -> count;
            case DAY -> count * 24;
            case WEEK -> count * 24 * 7;
            case MONTH -> count * 24 * 30;
            default -> throw new IllegalStateException("not an interval");
        };
    }

    @Override
    public String toString() {
        if (unit == Unit.NUMBER) {
            return Long.toString(count);
        }
        return count + " " + unit.name().toLowerCase(Locale.ROOT) + (count == 1 ? "" : "s");
    }
}
