package dev.autopartition;

import java.time.Instant;
import java.util.Random;
import java.util.UUID;

/** UUIDv7 values for tests (RFC 9562): 48 bits of Unix milliseconds, version 7, 74 random bits, variant 10. */
final class Uuid7 {
    private Uuid7() {}

    /** A random UUIDv7 of the instant's millisecond. */
    static UUID at(Instant instant, Random random) {
        return of(instant.toEpochMilli(), random.nextLong(), random.nextLong());
    }

    /** The smallest UUIDv7 of a millisecond: every random bit zero. */
    static UUID first(long millis) {
        return of(millis, 0, 0);
    }

    /** The largest UUIDv7 of a millisecond: every random bit one. */
    static UUID last(long millis) {
        return of(millis, -1, -1);
    }

    private static UUID of(long millis, long randA, long randB) {
        long msb = (millis << 16) | 0x7000L | (randA & 0x0FFFL);
        long lsb = (randB & 0x3FFF_FFFF_FFFF_FFFFL) | 0x8000_0000_0000_0000L;
        return new UUID(msb, lsb);
    }
}
