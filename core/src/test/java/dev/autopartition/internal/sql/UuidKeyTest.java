package dev.autopartition.internal.sql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.autopartition.Increment;
import dev.autopartition.internal.spec.Grid;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

/** UUIDv7 keys: values are the time in their first 48 bits, bounds the smallest UUID of a millisecond. */
class UuidKeyTest {
    private static long micros(String instant) {
        return KeyType.TIMESTAMPTZ.fromInstant(Instant.parse(instant), ZoneOffset.UTC);
    }

    @Test
    void theLowerBoundIsTheMillisecondPrefixFollowedByZeros() {
        // 2022-01-10T00:00:00Z = 1641772800000 ms = 0x017e4148_d800
        assertThat(KeyType.uuidLowerBound(micros("2022-01-10T00:00:00Z")))
                .isEqualTo("017e4148-d800-0000-0000-000000000000");
        assertThat(KeyType.UUID.literal(micros("2022-01-10T00:00:00Z")))
                .isEqualTo("'017e4148-d800-0000-0000-000000000000'::uuid");
        assertThat(KeyType.uuidLowerBound(0)).isEqualTo("00000000-0000-0000-0000-000000000000");
        assertThatThrownBy(() -> KeyType.uuidLowerBound(-1000))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("from 1970");
    }

    @Test
    void aUuidStandsForItsMillisecondAndTimesMustBeWholeMilliseconds() {
        ZoneId zone = ZoneOffset.UTC;
        assertThat(KeyType.UUID.parse("017e4148-d800-7abc-8def-0123456789ab", zone))
                .isEqualTo(micros("2022-01-10T00:00:00Z"));
        assertThat(KeyType.UUID.parse("017e4148-d7ff-7fff-bfff-ffffffffffff", zone))
                .as("the millisecond before")
                .isEqualTo(micros("2022-01-09T23:59:59.999Z"));
        assertThat(KeyType.UUID.parse("2022-01-10", zone)).isEqualTo(micros("2022-01-10T00:00:00Z"));
        assertThat(KeyType.UUID.parse("2022-01-10 01:00:00.123+01:00", zone))
                .isEqualTo(micros("2022-01-10T00:00:00.123Z"));
        assertThatThrownBy(() -> KeyType.UUID.parse("2022-01-10 00:00:00.0005", zone))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("finer than a millisecond");
    }

    @Test
    void daysAreAlignedInTheTablesZoneLikeTimestampKeys() {
        ZoneId berlin = ZoneId.of("Europe/Berlin");
        Increment day = Increment.parse("1 day");
        Grid grid = new Grid(KeyType.UUID, day, Grid.defaultOrigin(KeyType.UUID, day, berlin), berlin);
        long slot = grid.slotOf(micros("2022-03-27T12:00:00Z")); // the spring-forward day: 23 hours
        assertThat(KeyType.UUID.display(grid.lower(slot), berlin)).isEqualTo("2022-03-27 00:00:00+01:00");
        assertThat(KeyType.UUID.display(grid.upper(slot), berlin)).isEqualTo("2022-03-28 00:00:00+02:00");
        assertThat(grid.upper(slot) - grid.lower(slot)).isEqualTo(23L * 3_600_000_000L);
    }

    @Test
    void valuesOfOtherTypesConvertIntoTheKeysUnits() {
        ZoneId berlin = ZoneId.of("Europe/Berlin");
        long midnight = KeyType.TIMESTAMPTZ.fromInstant(Instant.parse("2022-01-09T23:00:00Z"), berlin);
        assertThat(KeyType.UUID.convertFrom(
                        KeyType.DATE, java.time.LocalDate.of(2022, 1, 10).toEpochDay(), berlin))
                .as("a date is midnight in the table's zone")
                .isEqualTo(midnight);
        assertThat(KeyType.DATE.convertFrom(KeyType.UUID, midnight, berlin))
                .isEqualTo(java.time.LocalDate.of(2022, 1, 10).toEpochDay());
        assertThat(KeyType.BIGINT.convertFrom(KeyType.INTEGER, 5, berlin)).isEqualTo(5);
        assertThatThrownBy(() -> KeyType.BIGINT.convertFrom(KeyType.TIMESTAMPTZ, 5, berlin))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
