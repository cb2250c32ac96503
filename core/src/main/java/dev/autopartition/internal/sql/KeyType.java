package dev.autopartition.internal.sql;

import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoField;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * The types a range-partition key can have, and the one typed-literal function for their values. Values travel
 * through the engine as a {@code long} in the type's own unit: microseconds since the epoch for {@code timestamptz}
 * (an instant) and {@code timestamp} (a wall-clock time read as if it were UTC), days since the epoch for {@code
 * date}, and the number itself for integers. A {@code uuid} key holds UUIDv7 values and is partitioned by the time
 * in their first 48 bits (big-endian Unix milliseconds); its values travel as microseconds since the epoch, like
 * {@code timestamptz}, and its bounds are whole milliseconds.
 */
public enum KeyType {
    TIMESTAMPTZ("timestamptz", "timestamp with time zone"),
    TIMESTAMP("timestamp", "timestamp without time zone"),
    DATE("date", "date"),
    SMALLINT("int2", "smallint"),
    INTEGER("int4", "integer"),
    BIGINT("int8", "bigint"),
    /** UUIDv7: partitioned by the millisecond timestamp in its first 48 bits. */
    UUID("uuid", "uuid");

    private static final Pattern UUID_TEXT = Pattern.compile(
            "\\{?([0-9a-fA-F]{8})-?([0-9a-fA-F]{4})-?([0-9a-fA-F]{4})-?([0-9a-fA-F]{4})-?" + "([0-9a-fA-F]{12})}?");
    /** UUIDv7 holds 48 bits of milliseconds: up to the year 10889. */
    private static final long MAX_UUID_MILLIS = (1L << 48) - 1;

    private static final long MICROS_PER_SECOND = 1_000_000L;
    private static final DateTimeFormatter LITERAL_TIME = new DateTimeFormatterBuilder()
            .appendPattern("uuuu-MM-dd HH:mm:ss")
            .optionalStart()
            .appendFraction(ChronoField.MICRO_OF_SECOND, 0, 6, true)
            .optionalEnd()
            .toFormatter(Locale.ROOT);
    private static final DateTimeFormatter INPUT = new DateTimeFormatterBuilder()
            .appendPattern("uuuu-MM-dd")
            .optionalStart()
            .appendLiteral(' ')
            .optionalEnd()
            .optionalStart()
            .appendLiteral('T')
            .optionalEnd()
            .optionalStart()
            .appendPattern("HH:mm")
            .optionalStart()
            .appendPattern(":ss")
            .optionalStart()
            .appendFraction(ChronoField.NANO_OF_SECOND, 1, 9, true)
            .optionalEnd()
            .optionalEnd()
            .optionalEnd()
            .optionalStart()
            .appendOffset("+HH:mm", "Z")
            .optionalEnd()
            .optionalStart()
            .appendOffset("+HHmm", "Z")
            .optionalEnd()
            .optionalStart()
            .appendOffset("+HH", "Z")
            .optionalEnd()
            .toFormatter(Locale.ROOT);

    private final String typname;
    private final String sqlName;

    KeyType(String typname, String sqlName) {
        this.typname = typname;
        this.sqlName = sqlName;
    }

    /** The type for a {@code pg_type.typname}, if it is one a range key can have. */
    public static Optional<KeyType> fromTypname(String typname) {
        for (KeyType type : values()) {
            if (type.typname.equals(typname)) {
                return Optional.of(type);
            }
        }
        return Optional.empty();
    }

    /** The name PostgreSQL's catalog uses ({@code pg_type.typname}). */
    public String typname() {
        return typname;
    }

    /** The SQL spelling of the type, for messages and casts. */
    public String sqlName() {
        return sqlName;
    }

    /** Whether partitions follow time (timestamps, dates, and UUIDv7 by their embedded time). */
    public boolean isTime() {
        return this == TIMESTAMPTZ || this == TIMESTAMP || this == DATE || this == UUID;
    }

    /** The smallest value the type holds. */
    public long minValue() {
        return switch (this) {
            case SMALLINT -> Short.MIN_VALUE;
            case INTEGER -> Integer.MIN_VALUE;
            default -> Long.MIN_VALUE;
        };
    }

    /** The largest value the type holds. */
    public long maxValue() {
        return switch (this) {
            case SMALLINT -> Short.MAX_VALUE;
            case INTEGER -> Integer.MAX_VALUE;
            default -> Long.MAX_VALUE;
        };
    }

    /** The value as an explicitly typed SQL literal that means the same in every session time zone. */
    public String literal(long value) {
        return switch (this) {
            case TIMESTAMPTZ -> "'" + LITERAL_TIME.format(toUtc(value)) + "+00'::timestamptz";
            case TIMESTAMP -> "'" + LITERAL_TIME.format(toUtc(value)) + "'::timestamp";
            case DATE -> "'" + LocalDate.ofEpochDay(value) + "'::date";
            case UUID -> "'" + uuidLowerBound(value) + "'::uuid";
            default -> Long.toString(value);
        };
    }

    /**
     * The smallest UUID of the millisecond holding {@code micros}: the 48-bit millisecond prefix, then zeros. It
     * sorts below every UUIDv7 of that millisecond (whose version nibble is 7) and above every UUID of the
     * millisecond before, as PostgreSQL compares uuid values byte by byte.
     *
     * @throws IllegalArgumentException when the time is before 1970 or beyond what 48 bits of milliseconds hold
     */
    public static String uuidLowerBound(long micros) {
        long millis = Math.floorDiv(micros, 1000L);
        if (millis < 0 || millis > MAX_UUID_MILLIS) {
            throw new IllegalArgumentException("a UUIDv7 holds times from 1970 to 10889; "
                    + OffsetDateTime.ofInstant(toInstant(micros), ZoneOffset.UTC) + " is outside");
        }
        String hex = String.format(Locale.ROOT, "%012x", millis);
        return hex.substring(0, 8) + "-" + hex.substring(8, 12) + "-0000-0000-000000000000";
    }

    /** The time of a UUIDv7 in microseconds since the epoch (its millisecond prefix), or null if not a UUID. */
    static @Nullable Long uuidMicros(String text) {
        Matcher m = UUID_TEXT.matcher(text);
        if (!m.matches()) {
            return null;
        }
        return Long.parseLong(m.group(1) + m.group(2), 16) * 1000L;
    }

    /** The value as a person reads it: wall-clock time in the zone (with its offset for timestamptz). */
    public String display(long value, ZoneId zone) {
        return switch (this) {
            case TIMESTAMPTZ, UUID ->
                OffsetDateTime.ofInstant(toInstant(value), zone)
                        .format(DateTimeFormatter.ofPattern("uuuu-MM-dd HH:mm:ssxxx", Locale.ROOT));
            case TIMESTAMP -> LITERAL_TIME.format(toUtc(value));
            case DATE -> LocalDate.ofEpochDay(value).toString();
            default -> Long.toString(value);
        };
    }

    /** The wall-clock date and time of a time value in the zone. */
    public LocalDateTime toLocal(long value, ZoneId zone) {
        return switch (this) {
            case TIMESTAMPTZ, UUID -> LocalDateTime.ofInstant(toInstant(value), zone);
            case TIMESTAMP -> toUtc(value);
            case DATE -> LocalDate.ofEpochDay(value).atStartOfDay();
            default -> throw new IllegalStateException(this + " is not a time type");
        };
    }

    /** The value of a wall-clock date and time in the zone. */
    public long fromLocal(LocalDateTime local, ZoneId zone) {
        return switch (this) {
            case TIMESTAMPTZ, UUID -> micros(local.atZone(zone).toInstant());
            case TIMESTAMP -> micros(local.toInstant(ZoneOffset.UTC));
            case DATE -> local.toLocalDate().toEpochDay();
            default -> throw new IllegalStateException(this + " is not a time type");
        };
    }

    /** The value of an instant, seen in the zone. */
    public long fromInstant(Instant instant, ZoneId zone) {
        return this == TIMESTAMPTZ || this == UUID
                ? micros(instant)
                : fromLocal(LocalDateTime.ofInstant(instant, zone), zone);
    }

    /**
     * Converts a value of another key type (in that type's units) into this type's units: an instant stays the same
     * instant, a wall-clock time or date is read in the zone, an integer stays the number.
     *
     * @throws IllegalArgumentException when the types do not convert (a time into an integer key, or back)
     */
    public long convertFrom(KeyType from, long value, ZoneId zone) {
        if (from.isTime() != isTime()) {
            throw new IllegalArgumentException(from.sqlName + " does not convert to " + sqlName);
        }
        if (!isTime() || from == this) {
            return value;
        }
        return from == TIMESTAMPTZ || from == UUID
                ? fromInstant(toInstant(value), zone)
                : fromLocal(from.toLocal(value, zone), zone);
    }

    /**
     * Parses a value as a user writes it: {@code 2022-01-31}, {@code 2022-01-31 13:00[:00[.123]]} or with an offset
     * ({@code Z}, {@code +01:00}) for time types; a whole number for integer types. Time without an offset is
     * wall-clock time in the zone.
     *
     * @throws IllegalArgumentException with a message saying what was expected
     */
    public long parse(String text, ZoneId zone) {
        String trimmed = text.trim();
        if (!isTime()) {
            return parseInteger(trimmed);
        }
        if (this == UUID) {
            return parseUuid(trimmed, zone);
        }
        try {
            var parsed = INPUT.parse(trimmed);
            LocalDate date = LocalDate.from(parsed);
            LocalTime time = parsed.isSupported(ChronoField.HOUR_OF_DAY) ? LocalTime.from(parsed) : LocalTime.MIDNIGHT;
            LocalDateTime local = LocalDateTime.of(date, time);
            if (parsed.isSupported(ChronoField.OFFSET_SECONDS)) {
                Instant instant = local.toInstant(ZoneOffset.ofTotalSeconds(parsed.get(ChronoField.OFFSET_SECONDS)));
                return fromInstant(instant, zone);
            }
            if (this == DATE && !time.equals(LocalTime.MIDNIGHT)) {
                throw new IllegalArgumentException("'" + text + "' has a time of day, but the key is a date");
            }
            return fromLocal(local, zone);
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException(
                    "'" + text + "' is not a " + sqlName + " value. Fix: write it as 2022-01-31"
                            + (this == DATE ? "" : " or 2022-01-31 13:00:00[+01:00]"),
                    e);
        }
    }

    /** A UUID stands for its millisecond; a time must be a whole millisecond, the precision of UUIDv7. */
    private long parseUuid(String text, ZoneId zone) {
        Long micros = uuidMicros(text);
        if (micros != null) {
            return micros;
        }
        long value = TIMESTAMPTZ.parse(text, zone);
        if (Math.floorMod(value, 1000L) != 0) {
            throw new IllegalArgumentException(
                    "'" + text + "' is finer than a millisecond, the precision of the time in a UUIDv7");
        }
        uuidLowerBound(value);
        return value;
    }

    private long parseInteger(String text) {
        long value;
        try {
            value = Long.parseLong(text);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("'" + text + "' is not a whole number", e);
        }
        if (value < minValue() || value > maxValue()) {
            throw new IllegalArgumentException(
                    "'" + text + "' is out of range for " + sqlName + " (" + minValue() + " to " + maxValue() + ")");
        }
        return value;
    }

    private static Instant toInstant(long micros) {
        return Instant.ofEpochSecond(
                Math.floorDiv(micros, MICROS_PER_SECOND), Math.floorMod(micros, MICROS_PER_SECOND) * 1000L);
    }

    private static LocalDateTime toUtc(long micros) {
        return LocalDateTime.ofInstant(toInstant(micros), ZoneOffset.UTC);
    }

    private static long micros(Instant instant) {
        return Math.addExact(
                Math.multiplyExact(instant.getEpochSecond(), MICROS_PER_SECOND), instant.getNano() / 1000L);
    }
}
