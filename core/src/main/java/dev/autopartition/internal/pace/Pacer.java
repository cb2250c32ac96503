package dev.autopartition.internal.pace;

import java.time.Duration;
import java.util.Optional;

/**
 * Decides how fast the migration's workers may go right now. Every worker of the copy, the verification and the
 * replay asks {@link #batchRows()} before a batch and calls {@link #afterBatch} after it; the pacer answers with the
 * batch size and makes the worker wait (a pause, or no work at all while the allowed parallelism is below its number).
 * A pacer never stops the work for good: at its slowest it still lets one worker run small batches.
 */
public interface Pacer extends AutoCloseable {

    /** The number of rows the next batch should hold, at least 1. */
    int batchRows();

    /**
     * Reports a finished batch of worker {@code worker} (numbered from 0) and waits as long as the pace asks.
     *
     * @throws dev.autopartition.AutoPartitionException when interrupted while waiting
     */
    void afterBatch(int worker, long rows);

    /**
     * Says that a new stage of the work begins (copy, verification, replay), whose batches are not comparable with the
     * last stage's.
     */
    default void stage(String what) {}

    /**
     * Says that worker {@code worker} has no more work in this stage, so a worker numbered after it that waits for
     * its turn may take its place.
     */
    default void done(int worker) {}

    /** Why the pacer is holding the work below its limits, e.g. {@code "standby lag 1.4 s > 1 s"}; empty otherwise. */
    Optional<String> throttled();

    /** Stops whatever the pacer measures in the background. */
    @Override
    void close();

    /** The pace of the knobs alone: {@code batchRows} rows a batch, {@code pause} after each batch that moved rows. */
    static Pacer fixed(int batchRows, Duration pause) {
        return new FixedPacer(batchRows, pause);
    }
}
