package dev.autopartition.internal.pace;

import java.time.Duration;

/**
 * What the pacer may do and must keep: the knobs as upper limits (the pause as the least pause) and the standby lag
 * budget (the latency budget depends on a measurement and comes with each round's {@link Signals}).
 *
 * @param maxBatchRows the largest batch (the spec's batch size)
 * @param maxParallelism the most workers at once (the spec's parallelism)
 * @param minPause the least pause after a batch (the spec's pause)
 * @param lagBudget the standby replay lag not to exceed
 * @param adjustBatch whether the batch size may shrink; off when the latency is read from the batches' own timing,
 *     which smaller batches would distort
 */
record PaceLimits(int maxBatchRows, int maxParallelism, Duration minPause, Duration lagBudget, boolean adjustBatch) {

    /** Smaller batches than this cost more in per-batch overhead than they save in burst size. */
    static final int MIN_BATCH_ROWS = 100;

    PaceLimits {
        if (maxBatchRows < 1 || maxParallelism < 1) {
            throw new IllegalArgumentException(
                    "limits must allow a batch and a worker, were " + maxBatchRows + " and " + maxParallelism);
        }
    }

    /** The latency budget for a probe measured at {@code idle} before the work: the multiple, at least the floor. */
    static Duration latencyBudget(Duration idle, double multiple, Duration floor) {
        Duration scaled = Duration.ofNanos(Math.round(idle.toNanos() * multiple));
        return scaled.compareTo(floor) < 0 ? floor : scaled;
    }

    int minBatchRows() {
        return Math.min(maxBatchRows, MIN_BATCH_ROWS);
    }
}
