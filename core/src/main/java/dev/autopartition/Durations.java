package dev.autopartition;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * The one way every front end reads a duration (a lock timeout, a pause, a maintenance interval), so that {@code 2m}
 * means two minutes in a changelog, a Flyway setting, a POM, on the command line and in Spring Boot properties alike.
 *
 * <ul>
 *   <li>a whole number alone is milliseconds: {@code 500};
 *   <li>one or more numbers, each with a unit, optionally spaced: {@code 500ms}, {@code 2s}, {@code 1.5s}, {@code 2m},
 *       {@code 1h30m}, {@code 1d}, {@code 2 min}, {@code 10 seconds}; units {@code ms}, {@code s}, {@code m}, {@code
 *       h}, {@code d} and their words ({@code millisecond(s)}, {@code sec}, {@code second(s)}, {@code min}, {@code
 *       minute(s)}, {@code hour(s)}, {@code day(s)}); {@code us} and {@code ns} as Spring Boot writes them;
 *   <li>ISO-8601: {@code PT0.5S}, {@code PT10M}, {@code P1D}.
 * </ul>
 *
 * <p>Case does not matter. Negative durations are not durations here.
 */
public final class Durations {
    /** The grammar in one line, for messages and docs. */
    public static final String GRAMMAR = "milliseconds alone (500), numbers with units (500ms, 2s, 1.5s, 10m, 1h30m,"
            + " 1d, 2 min) or ISO-8601 (PT10M)";

    private static final String UNIT =
            "(ns|us|ms|milliseconds?|millis|s|secs?|seconds?|m|mins?|minutes?|h|hours?|d|days?)";
    private static final Pattern NUMBER = Pattern.compile("\\d+");
    private static final Pattern WHOLE = Pattern.compile("(\\s*\\d+(\\.\\d+)?\\s*" + UNIT + ")+\\s*");
    private static final Pattern PART = Pattern.compile("(\\d+(?:\\.\\d+)?)\\s*" + UNIT);

    private Durations() {}

    /**
     * Parses a duration.
     *
     * @param field the option it is for, named by the exception
     * @throws InvalidSpecException naming the option, the text and the grammar
     */
    public static Duration parse(String text, @Nullable SpecField field) {
        String t = text.trim().toLowerCase(Locale.ROOT);
        if (NUMBER.matcher(t).matches()) {
            return Duration.ofMillis(parseLong(text, t, field));
        }
        if (t.startsWith("p")) {
            try {
                Duration iso = Duration.parse(t.toUpperCase(Locale.ROOT));
                if (!iso.isNegative()) {
                    return iso;
                }
            } catch (DateTimeParseException e) {
                // reported below with the grammar
            }
            throw bad(text, field);
        }
        if (!WHOLE.matcher(t).matches()) {
            throw bad(text, field);
        }
        Duration total = Duration.ZERO;
        Matcher m = PART.matcher(t);
        while (m.find()) {
            total = total.plus(part(new BigDecimal(m.group(1)), m.group(2), text, field));
        }
        return total;
    }

    /** {@link #parse(String, SpecField)} for text that is about no particular option. */
    public static Duration parse(String text) {
        return parse(text, null);
    }

    private static Duration part(BigDecimal n, String unit, String text, @Nullable SpecField field) {
        long nanosPerUnit = switch (unit) {
            case "ns" -> 1L;
            case "us" -> 1_000L;
            case "ms", "millis", "millisecond", "milliseconds" -> 1_000_000L;
            case "s", "sec", "secs", "second", "seconds" -> 1_000_000_000L;
            case "m", "min", "mins", "minute", "minutes" -> 60_000_000_000L;
            case "h", "hour", "hours" -> 3_600_000_000_000L;
            default -> 86_400_000_000_000L; // d, day, days
        };
        try {
            return Duration.ofNanos(n.multiply(BigDecimal.valueOf(nanosPerUnit))
                    .setScale(0, java.math.RoundingMode.HALF_UP)
                    .longValueExact());
        } catch (ArithmeticException e) {
            throw bad(text, field);
        }
    }

    private static long parseLong(String text, String digits, @Nullable SpecField field) {
        try {
            return Long.parseLong(digits);
        } catch (NumberFormatException e) {
            throw bad(text, field);
        }
    }

    private static InvalidSpecException bad(String text, @Nullable SpecField field) {
        String what = field == null ? "" : field.option() + " ";
        return new InvalidSpecException(field, what + "'" + text + "' is not a duration. Fix: write " + GRAMMAR + ".");
    }

    /** A short form for people: {@code 450 ms}, {@code 12s}, {@code 3m 05s}, {@code 2h 03m}. */
    public static String format(Duration duration) {
        long millis = duration.toMillis();
        if (millis < 1000) {
            return millis + " ms";
        }
        long seconds = duration.toSeconds();
        if (seconds < 60) {
            return seconds + "s";
        }
        if (seconds < 3600) {
            return String.format(Locale.ROOT, "%dm %02ds", seconds / 60, seconds % 60);
        }
        return String.format(Locale.ROOT, "%dh %02dm", seconds / 3600, seconds % 3600 / 60);
    }
}
