package dev.autopartition.liquibase;

import dev.autopartition.AutoPartition;
import dev.autopartition.AutoPartitionSpec;
import dev.autopartition.Durations;
import dev.autopartition.InvalidSpecException;
import dev.autopartition.MigrationSpec;
import dev.autopartition.SpecField;
import java.sql.Connection;
import java.time.Clock;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.EnumSet;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * How the engine runs for one change: the change's own tuning attributes where set, else the {@code
 * liquibase.autopartition.*} configuration. None of these change the resulting schema, so none is in a checksum.
 *
 * @param lockTimeout the change's lockTimeout attribute, or null
 * @param attempts the change's attempts attribute, or null
 * @param batchSize the change's batchSize attribute, or null
 */
record Tuning(
        @Nullable String lockTimeout,
        @Nullable String attempts,
        @Nullable String batchSize) {
    static final Tuning NONE = new Tuning(null, null, null);

    /** Checks the attributes without a database; each problem names its attribute. */
    void check(Problems problems) {
        if (lockTimeout != null) {
            problems.check("lockTimeout", lockTimeout, () -> duration(lockTimeout));
        }
        if (attempts != null) {
            Integer value = problems.integer("attempts", attempts);
            if (value != null && value < 1) {
                problems.error(
                        "attempts",
                        attempts,
                        "attempts must be at least 1. Fix: use 1 (no retries) or more, such as 5.");
            }
        }
        if (batchSize != null) {
            Integer value = problems.integer("batchSize", batchSize);
            if (value != null && value < 1) {
                problems.error("batchSize", batchSize, "batchSize must be at least 1. Fix: use for example 10000.");
            }
        }
    }

    /** Checks a migration's own tuning attributes without a database; each problem names its attribute. */
    static void checkMigration(
            Problems problems,
            @Nullable String pause,
            @Nullable String cutoverLockTimeout,
            @Nullable String cutoverAttempts) {
        if (pause != null) {
            problems.check("pause", pause, () -> duration(pause, "pause", true));
        }
        if (cutoverLockTimeout != null) {
            problems.check(
                    "cutoverLockTimeout",
                    cutoverLockTimeout,
                    () -> duration(cutoverLockTimeout, "cutoverLockTimeout", false));
        }
        Integer tries = problems.integer("cutoverAttempts", cutoverAttempts);
        if (tries != null && tries < 1) {
            problems.error(
                    "cutoverAttempts", cutoverAttempts, "cutoverAttempts must be at least 1. Fix: use for example 20.");
        }
    }

    /** A migration's tuning: the batch size (this one, else the configured one) and the migration's own attributes. */
    MigrationSpec.Builder migration(
            MigrationSpec.Builder migration,
            @Nullable String pause,
            @Nullable String cutoverLockTimeout,
            @Nullable String cutoverAttempts) {
        Integer batch = batchSize != null
                ? Integer.valueOf(batchSize.trim())
                : AutoPartitionConfiguration.BATCH_SIZE.getCurrentValue();
        if (batch != null) {
            migration.batchSize(batch);
        }
        if (pause != null) {
            migration.pause(duration(pause, "pause", true));
        }
        if (cutoverLockTimeout != null) {
            migration.cutoverLockTimeout(duration(cutoverLockTimeout, "cutoverLockTimeout", false));
        }
        if (cutoverAttempts != null) {
            migration.cutoverAttempts(Integer.parseInt(cutoverAttempts.trim()));
        }
        return migration;
    }

    /** An engine on the connection, with these settings and the configured catalog schema and clock. */
    AutoPartition engine(Connection connection) {
        String timeout = lockTimeout != null ? lockTimeout : AutoPartitionConfiguration.LOCK_TIMEOUT.getCurrentValue();
        Integer tries =
                attempts != null ? whole("attempts", attempts) : AutoPartitionConfiguration.ATTEMPTS.getCurrentValue();
        Integer batch = batchSize != null
                ? whole("batchSize", batchSize)
                : AutoPartitionConfiguration.BATCH_SIZE.getCurrentValue();
        String schema = AutoPartitionConfiguration.CATALOG_SCHEMA.getCurrentValue();
        AutoPartition.Builder builder = AutoPartition.configure(connection).clock(clock());
        if (schema != null && !schema.isBlank()) {
            builder.catalogSchema(schema.trim());
        }
        if (timeout != null && !timeout.isBlank()) {
            builder.lockTimeout(duration(timeout));
        }
        if (tries != null) {
            builder.attempts(tries);
        }
        if (batch != null) {
            builder.batchSize(batch);
        }
        return builder.build();
    }

    private static int whole(String attribute, String value) {
        try {
            return Integer.parseInt(value.trim());
        } catch (NumberFormatException e) {
            throw new InvalidSpecException(
                    attribute + " '" + value + "' is not a whole number. Fix: write a number such as 5.");
        }
    }

    /** The engine's clock: fixed at {@code liquibase.autopartition.now} when that is set, else the system clock. */
    static Clock clock() {
        String now = AutoPartitionConfiguration.NOW.getCurrentValue();
        Instant fixed = now == null || now.isBlank() ? null : instant(now.trim());
        return fixed == null ? Clock.systemUTC() : Clock.fixed(fixed, ZoneOffset.UTC);
    }

    /** The fixed instant, or null for the system clock. */
    static @Nullable Instant fixedNow() {
        String now = AutoPartitionConfiguration.NOW.getCurrentValue();
        return now == null || now.isBlank() ? null : instant(now.trim());
    }

    private static Instant instant(String text) {
        try {
            return Instant.parse(text);
        } catch (DateTimeException e) {
            try {
                return OffsetDateTime.parse(text).toInstant();
            } catch (DateTimeException again) {
                throw new InvalidSpecException("Configuration " + AutoPartitionConfiguration.NOW.getKey() + " '" + text
                        + "' is not an instant. Fix: write an ISO-8601 instant such as 2022-01-10T00:00:00Z.");
            }
        }
    }

    /** Parses a lock timeout in the one duration grammar ({@link Durations}); it must be positive. */
    static Duration duration(String text) {
        return duration(text, "Lock timeout", false);
    }

    /**
     * Parses a duration in the one grammar of every front end ({@link Durations#GRAMMAR}).
     *
     * @param what the name of the setting, to start a message with
     * @param zeroAllowed whether zero is a valid value (a pause), or it must be positive (a timeout)
     */
    static Duration duration(String text, String what, boolean zeroAllowed) {
        SpecField field = what.equals("pause")
                ? SpecField.PAUSE
                : what.equals("cutoverLockTimeout") ? SpecField.CUTOVER_LOCK_TIMEOUT : SpecField.LOCK_TIMEOUT;
        Duration value;
        try {
            value = Durations.parse(text, field);
        } catch (InvalidSpecException e) {
            throw new InvalidSpecException(
                    field, what + " '" + text + "' does not parse. Fix: write " + Durations.GRAMMAR + ".");
        }
        if (value.isZero() && !zeroAllowed) {
            throw new InvalidSpecException(
                    field,
                    what + " '" + text + "' must be positive. Fix: use a few hundred milliseconds, such as 500ms.");
        }
        return value;
    }

    /**
     * A migration's pacing attributes as written: whether to pace, the latency budget (a multiple), its floor and the
     * standby lag budget (durations).
     */
    record Pacing(
            @Nullable String pacing,
            @Nullable String latencyBudget,
            @Nullable String latencyFloor,
            @Nullable String standbyLagBudget) {

        private static final Set<SpecField> FIELDS = EnumSet.of(
                SpecField.PACING, SpecField.LATENCY_BUDGET, SpecField.LATENCY_FLOOR, SpecField.STANDBY_LAG_BUDGET);

        /** Checks that the attributes parse; each problem names its attribute. Returns whether they all do. */
        boolean parses(Problems problems) {
            boolean parsed = problems.bool("pacing", pacing) != null || pacing == null;
            if (latencyBudget != null) {
                parsed &= problems.check("latencyBudget", latencyBudget, () -> multiple(latencyBudget));
            }
            if (latencyFloor != null) {
                parsed &= problems.check(
                        "latencyFloor", latencyFloor, () -> Durations.parse(latencyFloor, SpecField.LATENCY_FLOOR));
            }
            if (standbyLagBudget != null) {
                parsed &= problems.check(
                        "standbyLagBudget",
                        standbyLagBudget,
                        () -> Durations.parse(standbyLagBudget, SpecField.STANDBY_LAG_BUDGET));
            }
            return parsed;
        }

        /** Checks the parsed attributes' values on a migration of {@code rule}; each problem names its attribute. */
        void checkValues(Problems problems, AutoPartitionSpec rule) {
            try {
                apply(MigrationSpec.builder(rule)).build();
            } catch (InvalidSpecException e) {
                SpecField field = e.field().orElse(null);
                if (field != null && FIELDS.contains(field)) {
                    problems.error(field.option(), valueOf(field), String.valueOf(e.getMessage()));
                }
            }
        }

        private @Nullable String valueOf(SpecField field) {
            return switch (field) {
                case PACING -> pacing;
                case LATENCY_BUDGET -> latencyBudget;
                case LATENCY_FLOOR -> latencyFloor;
                default -> standbyLagBudget;
            };
        }

        /** Sets the attributes that are written on the migration; the others keep the engine's defaults. */
        MigrationSpec.Builder apply(MigrationSpec.Builder migration) {
            if (pacing != null) {
                migration.pacing(!Boolean.FALSE.equals(Problems.parseBoolean(pacing)));
            }
            if (latencyBudget != null) {
                migration.latencyBudget(multiple(latencyBudget));
            }
            if (latencyFloor != null) {
                migration.latencyFloor(Durations.parse(latencyFloor, SpecField.LATENCY_FLOOR));
            }
            if (standbyLagBudget != null) {
                migration.standbyLagBudget(Durations.parse(standbyLagBudget, SpecField.STANDBY_LAG_BUDGET));
            }
            return migration;
        }

        private static double multiple(String text) {
            try {
                String t = text.trim();
                // 1.5x reads as people say it
                return Double.parseDouble(t.endsWith("x") ? t.substring(0, t.length() - 1) : t);
            } catch (NumberFormatException e) {
                throw new InvalidSpecException(
                        SpecField.LATENCY_BUDGET,
                        "latencyBudget '" + text + "' is not a number. Fix: write a multiple of the idle latency such"
                                + " as 1.5.");
            }
        }
    }
}
