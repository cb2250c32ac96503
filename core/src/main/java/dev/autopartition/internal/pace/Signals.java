package dev.autopartition.internal.pace;

import java.time.Duration;
import org.jspecify.annotations.Nullable;

/**
 * One round of measurements.
 *
 * @param latency the probe's recent latency, null when not measured this round
 * @param latencyBudget what {@code latency} must stay under, null while unknown
 * @param latencyKind what the latency is of, for the reason shown to people
 * @param standbyLag the largest replay lag of any standby, null when no standby is known
 * @param batchTime how long a recent batch took, null before the first batch; the pause is a multiple of it
 * @param now time since the pacer started
 */
record Signals(
        @Nullable Duration latency,
        @Nullable Duration latencyBudget,
        String latencyKind,
        @Nullable Duration standbyLag,
        @Nullable Duration batchTime,
        Duration now) {}
