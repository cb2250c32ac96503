package dev.autopartition.cli;

import dev.autopartition.AutoPartitionException;
import dev.autopartition.Durations;
import dev.autopartition.InvalidSpecException;
import dev.autopartition.TableName;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** Converters for option values; a bad value is a usage error (exit code 2) with a message that says the fix. */
final class Converters {
    private Converters() {}

    /**
     * The engine's one duration grammar ({@link Durations#GRAMMAR}): {@code 500} (milliseconds), {@code 500ms}, {@code
     * 10s}, {@code 1h30m}, {@code 2 min}, {@code PT10M}. Picocli names the option before the message.
     */
    static final class DurationConverter implements ITypeConverter<Duration> {
        @Override
        public Duration convert(String value) {
            try {
                return Durations.parse(value);
            } catch (InvalidSpecException e) {
                throw new TypeConversionException(e.getMessage());
            }
        }
    }

    /** A multiple such as a latency budget: {@code 1.5}, or {@code 1.5x} as people say it. */
    static final class MultipleConverter implements ITypeConverter<Double> {
        @Override
        public Double convert(String value) {
            String t = value.trim().toLowerCase(java.util.Locale.ROOT);
            try {
                return Double.valueOf(t.endsWith("x") ? t.substring(0, t.length() - 1) : t);
            } catch (NumberFormatException e) {
                throw new TypeConversionException(
                        "'" + value + "' is not a multiple. Fix: write a number such as 1.5 (or 1.5x).");
            }
        }
    }

    /** {@code table}, {@code schema.table}, {@code "My Schema"."My Table"}. */
    static final class TableNameConverter implements ITypeConverter<TableName> {
        @Override
        public TableName convert(String value) {
            try {
                return TableName.parse(value);
            } catch (AutoPartitionException | IllegalArgumentException e) {
                throw new TypeConversionException(e.getMessage());
            }
        }
    }

    /** An ISO-8601 instant such as {@code 2022-01-31T12:00:00Z}. */
    static final class InstantConverter implements ITypeConverter<Instant> {
        @Override
        public Instant convert(String value) {
            try {
                return Instant.parse(value.trim());
            } catch (DateTimeParseException e) {
                throw new TypeConversionException("'" + value
                        + "' is not an instant. Fix: write it in ISO-8601 UTC, such as 2022-01-31T12:00:00Z.");
            }
        }
    }
}
