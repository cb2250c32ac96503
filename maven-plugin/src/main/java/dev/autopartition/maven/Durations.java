package dev.autopartition.maven;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Durations as written in a POM or on the command line: {@code 500} (milliseconds, as the Flyway extension reads it),
 * {@code 500ms}, {@code 2s}, {@code 1m}, or {@code PT2S}.
 */
final class Durations {
    private static final Pattern SIMPLE = Pattern.compile("(\\d+)\\s*(ms|s|m|h)?");
    private static final Map<String, ChronoUnit> UNITS =
            Map.of("ms", ChronoUnit.MILLIS, "s", ChronoUnit.SECONDS, "m", ChronoUnit.MINUTES, "h", ChronoUnit.HOURS);

    private Durations() {}

    /**
     * Parses a duration.
     *
     * @throws IllegalArgumentException naming the text and the accepted forms
     */
    static Duration parse(String text) {
        Matcher m = SIMPLE.matcher(text.trim().toLowerCase(Locale.ROOT));
        if (m.matches()) {
            String unit = m.group(2) == null ? "ms" : m.group(2);
            return Duration.of(Long.parseLong(m.group(1)), Objects.requireNonNull(UNITS.get(unit), unit));
        }
        try {
            return Duration.parse(text.trim().toUpperCase(Locale.ROOT));
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException(
                    "'" + text + "' is not a duration: write 500ms, 2s or 1m (or ISO-8601" + " such as PT2S)");
        }
    }
}
