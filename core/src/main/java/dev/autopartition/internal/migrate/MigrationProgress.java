package dev.autopartition.internal.migrate;

import dev.autopartition.MigrationPhase;
import dev.autopartition.MigrationStatus;
import dev.autopartition.TableName;
import java.sql.Connection;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A migration's progress as its control rows record it: rows, rate, ETA, backlog, partitions, cutover attempts. */
final class MigrationProgress {
    private final MigrationStore store;

    MigrationProgress(MigrationStore store) {
        this.store = store;
    }

    /** Every migration not finalized or aborted, with how long ago it last made progress. */
    Map<MigrationStatus, Duration> unfinished(Connection connection) {
        Map<MigrationStatus, Duration> result = new LinkedHashMap<>();
        store.unfinished(connection)
                .forEach((table, seconds) -> store.find(connection, table)
                        .ifPresent(row ->
                                result.put(status(connection, row), Duration.ofMillis((long) (seconds * 1000)))));
        return result;
    }

    MigrationStatus status(Connection connection, TableName table, MigrationRow row) {
        MigrationRow fresh = store.find(connection, table).orElse(row);
        List<TargetPartition> partitions = store.partitions(connection, fresh.id());
        long attached =
                partitions.stream().filter(p -> p.state().equals("attached")).count();
        double seconds = Math.max(
                0.001, Duration.between(fresh.startedAt(), Instant.now()).toMillis() / 1000.0);
        double rate = fresh.rowsCopied() / seconds;
        Duration eta =
                rate <= 0 || fresh.rowsCopied() >= fresh.rowsEstimate() || fresh.phase() != MigrationPhase.PREPARED
                        ? null
                        : Duration.ofSeconds((long) ((fresh.rowsEstimate() - fresh.rowsCopied()) / rate));
        long backlog = store.backlog(connection, fresh.id(), fresh.phase() == MigrationPhase.CUT_OVER);
        return new MigrationStatus(
                fresh.table(),
                fresh.strategy(),
                fresh.phase(),
                fresh.rowsEstimate(),
                fresh.rowsCopied(),
                fresh.rowsReplayed(),
                rate,
                eta,
                backlog,
                partitions.size(),
                (int) attached,
                fresh.cutoverAttempts(),
                fresh.cutoverLockMillis(),
                fresh.message(),
                fresh.fallingBehind());
    }

    MigrationStatus status(Connection connection, MigrationRow row) {
        return status(connection, row.table(), row);
    }
}
