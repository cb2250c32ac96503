package dev.autopartition.internal.pace;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Iterator;
import org.jspecify.annotations.Nullable;

/**
 * A standby's replay lag in time, from positions in the WAL. {@code pg_stat_replication.replay_lag} alone cannot be
 * trusted here: it is NULL when the standby is idle and stays at its last value while replay is stuck (nothing new is
 * replayed, so nothing new is timed). So the pacer remembers when the primary's WAL reached which position: a standby
 * that has replayed up to {@code r} is behind by the time since the primary first wrote past {@code r}.
 */
final class LagEstimator {
    /** Ten minutes of history at five rounds a second. */
    private static final int HISTORY = 3000;

    private final ArrayDeque<long[]> history = new ArrayDeque<>();

    /** Records that the primary had written up to {@code lsn} at {@code nanos}. */
    void primaryAt(long nanos, long lsn) {
        long[] last = history.peekLast();
        if (last != null && last[1] == lsn) {
            return; // keep the first time this position was seen
        }
        if (history.size() == HISTORY) {
            history.removeFirst();
        }
        history.addLast(new long[] {nanos, lsn});
    }

    /**
     * The lag at {@code nanos} of a standby that has replayed up to {@code replayLsn} and reports {@code reported} as
     * its {@code replay_lag}: the larger of the two.
     */
    Duration lag(long nanos, long replayLsn, @Nullable Duration reported) {
        Duration estimate = Duration.ZERO;
        for (Iterator<long[]> it = history.iterator(); it.hasNext(); ) {
            long[] sample = it.next();
            if (sample[1] > replayLsn) {
                estimate = Duration.ofNanos(Math.max(0, nanos - sample[0]));
                break;
            }
        }
        return reported != null && reported.compareTo(estimate) > 0 ? reported : estimate;
    }
}
