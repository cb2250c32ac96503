package dev.autopartition.liquibase;

import liquibase.change.DatabaseChangeProperty;
import org.jspecify.annotations.Nullable;

/**
 * A change on one table that runs DDL under the engine's lock budget: the tuning attributes {@code lockTimeout},
 * {@code attempts} and {@code batchSize} ({@link Tuning}). None of them is part of the checksum.
 */
public abstract class TunedChange extends TableChange {
    private @Nullable String lockTimeout;
    private @Nullable String attempts;
    private @Nullable String batchSize;

    TunedChange() {}

    @DatabaseChangeProperty(
            description = "Lock timeout per DDL statement (500ms, 2s); default liquibase.autopartition.lockTimeout."
                    + " Not part of the checksum",
            exampleValue = "500ms",
            requiredForDatabase = "none",
            supportsDatabase = "postgresql")
    public @Nullable String getLockTimeout() {
        return lockTimeout;
    }

    public void setLockTimeout(@Nullable String lockTimeout) {
        this.lockTimeout = lockTimeout;
    }

    @DatabaseChangeProperty(
            description = "Tries per step when locks are not granted in time; default liquibase.autopartition.attempts."
                    + " Not part of the checksum",
            exampleValue = "5",
            requiredForDatabase = "none",
            supportsDatabase = "postgresql")
    public @Nullable String getAttempts() {
        return attempts;
    }

    public void setAttempts(@Nullable String attempts) {
        this.attempts = attempts;
    }

    @DatabaseChangeProperty(
            description =
                    "Rows per batch when rows move out of a default partition (a migration: per copy batch, each"
                            + " committed with its cursor); default liquibase.autopartition.batchSize. Not part of the checksum",
            exampleValue = "10000",
            requiredForDatabase = "none",
            supportsDatabase = "postgresql")
    public @Nullable String getBatchSize() {
        return batchSize;
    }

    public void setBatchSize(@Nullable String batchSize) {
        this.batchSize = batchSize;
    }

    @Override
    Tuning tuning() {
        return new Tuning(lockTimeout, attempts, batchSize);
    }
}
