package dev.autopartition.internal.migrate;

import dev.autopartition.MigrationPhase;
import dev.autopartition.MigrationStatus;
import dev.autopartition.MigrationStrategy;
import dev.autopartition.TableName;
import java.time.Instant;
import org.jspecify.annotations.Nullable;

/** A migration as its control row records it. */
record MigrationRow(
        long id,
        TableName table,
        String newName,
        String retiredName,
        MigrationStrategy strategy,
        MigrationPhase phase,
        long rowsEstimate,
        long rowsCopied,
        long rowsReplayed,
        int cutoverAttempts,
        @Nullable Double cutoverLockMillis,
        @Nullable String message,
        Instant startedAt,
        MigrationStatus.@Nullable FallingBehind fallingBehind) {

    TableName newTable() {
        return TableName.of(table.schema(), newName);
    }

    TableName retiredTable() {
        return TableName.of(table.schema(), retiredName);
    }
}
