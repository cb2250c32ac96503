package dev.autopartition.internal.spec;

import dev.autopartition.Increment;
import dev.autopartition.InvalidSpecException;
import dev.autopartition.SpecField;
import dev.autopartition.TableName;
import dev.autopartition.internal.sql.KeyType;
import dev.autopartition.internal.sql.Sql;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Map;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * Names partitions from a pattern. The names stay within 63 bytes by shortening only the table part, always the
 * same way for the same table (a prefix plus a short hash of the whole name), and never collide with an existing
 * relation (a numeric suffix is added when they would).
 */
public final class PartitionNamer {
    private static final Pattern TOKEN = Pattern.compile("\\{([^{}]+)}");
    private static final int HASH_CHARS = 6;

    private final String pattern;
    private final String table;
    private final KeyType type;

    public PartitionNamer(@Nullable String pattern, String table, KeyType type, Increment inc) {
        this.pattern = pattern == null ? defaultPattern(inc) : pattern;
        this.table = table;
        this.type = type;
    }

    /** The pattern used when none is given. */
    public static String defaultPattern(Increment increment) {
        return switch (increment.unit()) {
            case HOUR -> "{table}_p{yyyyMMdd_HHmm}";
            case DAY, WEEK -> "{table}_p{yyyyMMdd}";
            case MONTH -> "{table}_p{yyyyMM}";
            case NUMBER -> "{table}_p{lower}";
        };
    }

    /**
     * Checks a pattern's syntax: every token must be {@code {table}}, {@code {lower}} or a valid date pattern, and
     * one must depend on the bound, or every partition would get the same name.
     */
    public static void checkPattern(String pattern, TableName table, Increment increment) {
        checkSyntax(pattern, table);
        if (increment.unit() != Increment.Unit.NUMBER && !pattern.contains("{lower}")) {
            checkDistinguishes(pattern, table, increment);
        }
    }

    /**
     * Refuses a pattern whose date tokens are coarser than the increment ({@code {yyyy}} for daily partitions), or
     * that repeats within two years ({@code {MMdd}}): its names would differ only by the numeric suffix added on a
     * collision, so they would no longer say what a partition holds. Checked on two years of consecutive bounds.
     */
    private static void checkDistinguishes(String pattern, TableName table, Increment increment) {
        LocalDateTime start = LocalDateTime.of(2000, 1, 3, 0, 0); // a Monday, as weekly partitions start
        LocalDateTime end = start.plusYears(2);
        Map<String, LocalDateTime> seen = new HashMap<>();
        for (LocalDateTime lower = start; lower.isBefore(end); lower = next(lower, increment)) {
            String name = boundTokens(pattern, lower);
            LocalDateTime earlier = seen.putIfAbsent(name, lower);
            if (earlier != null) {
                throw new InvalidSpecException(
                        SpecField.NAMING_PATTERN,
                        "Naming pattern '" + pattern + "' of " + table + " gives the partitions starting " + earlier
                                + " and " + lower + " the same name (" + name + ") with increment '" + increment
                                + "': its date tokens are coarser than the increment. Fix: use tokens as fine as the"
                                + " increment, such as " + defaultPattern(increment) + ", or leave the pattern out.");
            }
        }
    }

    private static LocalDateTime next(LocalDateTime lower, Increment increment) {
        return switch (increment.unit()) {
            case HOUR -> lower.plusHours(increment.count());
            case DAY -> lower.plusDays(increment.count());
            case WEEK -> lower.plusWeeks(increment.count());
            case MONTH, NUMBER -> lower.plusMonths(increment.count());
        };
    }

    /** The pattern's date tokens printed for one bound, the rest of the pattern left out. */
    private static String boundTokens(String pattern, LocalDateTime lower) {
        StringBuilder out = new StringBuilder();
        Matcher m = TOKEN.matcher(pattern);
        while (m.find()) {
            String token = m.group(1);
            if (!token.equals("table")) {
                out.append(out.length() == 0 ? "" : "|")
                        .append(DateTimeFormatter.ofPattern(token, Locale.ROOT).format(lower));
            }
        }
        return out.toString();
    }

    /**
     * Checks a pattern's syntax: every token must be {@code {table}}, {@code {lower}} or a valid date pattern, and
     * one must depend on the bound, or every partition would get the same name.
     */
    public static void checkPattern(String pattern, TableName table) {
        checkSyntax(pattern, table);
    }

    private static void checkSyntax(String pattern, TableName table) {
        Matcher m = TOKEN.matcher(pattern);
        boolean boundToken = false;
        while (m.find()) {
            String token = m.group(1);
            if (token.equals("table")) {
                continue;
            }
            boundToken = true;
            if (!token.equals("lower")) {
                try {
                    String sample =
                            DateTimeFormatter.ofPattern(token, Locale.ROOT).format(LocalDateTime.of(2000, 1, 1, 0, 0));
                    if (sample.isEmpty()) {
                        throw new IllegalArgumentException("it prints nothing");
                    }
                } catch (IllegalArgumentException | java.time.DateTimeException e) {
                    throw new InvalidSpecException(
                            SpecField.NAMING_PATTERN,
                            "Naming pattern '" + pattern + "' of " + table + " has token {"
                                    + token + "}, which is neither {table}, {lower} nor a date pattern ("
                                    + e.getMessage()
                                    + "). Fix: use for example {table}_p{yyyyMMdd}.");
                }
            }
        }
        if (!boundToken) {
            throw new InvalidSpecException(
                    SpecField.NAMING_PATTERN,
                    "Naming pattern '" + pattern + "' of " + table + " has no token for the"
                            + " partition's bound, so every partition would get the same name. Fix: add {lower} or a date"
                            + " pattern such as {yyyyMMdd}.");
        }
    }

    /** Checks the pattern's tokens against the key type. */
    public void checkFitsKey(TableName tableName) {
        Matcher m = TOKEN.matcher(pattern);
        while (m.find()) {
            String token = m.group(1);
            if (token.equals("lower") && type.isTime()) {
                throw new InvalidSpecException(
                        SpecField.NAMING_PATTERN,
                        "Naming pattern '" + pattern + "' of " + tableName + " uses {lower}," + " but the key is a "
                                + type.sqlName() + ". Fix: use a date pattern such as {yyyyMMdd}.");
            }
            if (!token.equals("lower") && !token.equals("table") && !type.isTime()) {
                throw new InvalidSpecException(
                        SpecField.NAMING_PATTERN,
                        "Naming pattern '" + pattern + "' of " + tableName + " uses a date" + " pattern {" + token
                                + "}, but the key is an integer. Fix: use {lower}.");
            }
        }
    }

    /**
     * The name for a partition starting at {@code lower}, unique among the names {@code taken} says exist.
     *
     * @param lowerLocal the lower bound's wall-clock time (time keys), or null for integer keys
     */
    public String name(long lower, @Nullable LocalDateTime lowerLocal, Predicate<String> taken) {
        String name = render(lower, lowerLocal, "");
        for (int i = 2; taken.test(name); i++) {
            name = render(lower, lowerLocal, "_" + i);
        }
        return name;
    }

    /** The default partition's name. */
    public String defaultName(Predicate<String> taken) {
        String name = fit("", table, "_default");
        for (int i = 2; taken.test(name); i++) {
            name = fit("", table, "_default_" + i);
        }
        return name;
    }

    private String render(long lower, @Nullable LocalDateTime lowerLocal, String suffix) {
        Matcher m = TOKEN.matcher(pattern);
        StringBuilder before = new StringBuilder();
        StringBuilder after = new StringBuilder();
        boolean tableSeen = false;
        int last = 0;
        while (m.find()) {
            StringBuilder target = tableSeen ? after : before;
            target.append(pattern, last, m.start());
            String token = m.group(1);
            if (token.equals("table")) {
                tableSeen = true;
            } else if (token.equals("lower")) {
                target.append(lower);
            } else if (lowerLocal != null) {
                target.append(DateTimeFormatter.ofPattern(token, Locale.ROOT).format(lowerLocal));
            }
            last = m.end();
        }
        (tableSeen ? after : before).append(pattern.substring(last)).append(suffix);
        if (!tableSeen) {
            return Sql.truncateToBytes(before.toString(), Sql.MAX_IDENTIFIER_BYTES);
        }
        return fit(before.toString(), table, after.toString());
    }

    /** {@code prefix + base + rest}, with the base shortened (deterministically) so that all fits in 63 bytes. */
    private static String fit(String prefix, String base, String rest) {
        int room = Sql.MAX_IDENTIFIER_BYTES - Sql.byteLength(prefix) - Sql.byteLength(rest);
        if (Sql.byteLength(base) <= room) {
            return prefix + base + rest;
        }
        return prefix + Sql.truncateToBytes(base, Math.max(0, room - HASH_CHARS - 1)) + "_" + hash(base) + rest;
    }

    private static String hash(String base) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(base.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest).substring(0, HASH_CHARS);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is always present", e);
        }
    }
}
