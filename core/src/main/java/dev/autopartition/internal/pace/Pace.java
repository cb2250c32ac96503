package dev.autopartition.internal.pace;

import java.time.Duration;

/**
 * How the workers may go until the next measurement.
 *
 * @param batchRows rows in the next batch
 * @param parallelism how many workers may work; workers numbered from this on wait
 * @param pause the wait after each batch that moved rows
 * @param reason why this is below the limits, empty when it is not
 */
record Pace(int batchRows, int parallelism, Duration pause, String reason) {}
