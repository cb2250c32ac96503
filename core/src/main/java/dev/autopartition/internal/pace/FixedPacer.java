package dev.autopartition.internal.pace;

import dev.autopartition.AutoPartitionException;
import java.time.Duration;
import java.util.Optional;

/** The knobs as they are: a fixed batch size and a fixed pause, nothing measured. */
record FixedPacer(int batchRows, Duration pause) implements Pacer {

    FixedPacer {
        if (batchRows < 1) {
            throw new IllegalArgumentException("batchRows must be at least 1, not " + batchRows);
        }
    }

    @Override
    public void afterBatch(int worker, long rows) {
        if (rows > 0 && !pause.isZero()) {
            sleep(pause);
        }
    }

    @Override
    public Optional<String> throttled() {
        return Optional.empty();
    }

    @Override
    public void close() {}

    static void sleep(Duration wait) {
        try {
            Thread.sleep(wait.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AutoPartitionException("Interrupted while the migration was pausing", e);
        }
    }
}
