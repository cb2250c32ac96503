package dev.autopartition.internal.pace;

import java.time.Duration;
import java.util.Locale;
import org.jspecify.annotations.Nullable;

/**
 * Whether the last worker earns its place. Every worker takes CPU, I/O and WAL bandwidth from the application, and on
 * a small server a second one can add little work done while it doubles what the application feels (on 2 cores with a
 * standby, two workers copied 5% more rows than one and put the application's p99 at 4.4x its value alone, against
 * 2.3x: docs/benchmarks.md). So after a window at {@code n} workers the pacer runs a window at {@code n - 1}; unless
 * {@code n} moved at least a quarter of a worker's share more rows per second, the work stays at {@code n - 1}, and the
 * same is asked of {@code n - 1}. A decision holds for {@link #HOLD}; then {@code n} is tried again, as the server's
 * load changes.
 *
 * <p>Only rounds without a pause of the pacer's own count, at a worker count that held for the whole round: a paced
 * worker's rate says nothing about what it could do. Without a clock or a database, so tests drive it with made-up
 * rounds.
 */
final class WorkerGain {
    static final Duration WINDOW = Duration.ofSeconds(5);
    static final Duration HOLD = Duration.ofSeconds(60);

    /** The share of one worker's rate the last worker must add. */
    static final double MIN_SHARE = 0.25;

    private static final int NONE = Integer.MAX_VALUE;

    /** The worker count the budgets allowed when this comparison began; 0 while nothing is being compared. */
    private int top;

    /** The higher worker count of the pair being compared. */
    private int level;

    /** Whether the window being filled is at {@code level - 1} (the trial) rather than at {@code level}. */
    private boolean trial;

    private double levelRate;
    private long windowRows;
    private long windowNanos;
    private int lastCount;
    private int cap = NONE;
    private @Nullable Duration holdUntil;
    private String reason = "";

    /** Why a worker above {@code level} was found not to pay, empty when none was. */
    private String above = "";

    /**
     * Takes one round and returns the most workers allowed until the next.
     *
     * @param wanted the worker count the latency and lag budgets allow
     * @param ran the worker count in effect during the round
     * @param clean whether the round ran without a pause of the pacer's own
     * @param rows the rows the workers moved during the round
     * @param elapsed the round's length
     * @param now the time since the pacer started
     */
    int next(int wanted, int ran, boolean clean, long rows, Duration elapsed, Duration now) {
        boolean steady = ran == lastCount;
        lastCount = ran;
        Duration until = holdUntil;
        if (until != null) {
            if (now.compareTo(until) < 0) {
                // a decision outlives a dip of the budgets: it says what the workers add, not what the budgets allow
                return allowed(wanted);
            }
            forget();
        }
        if (wanted < 2) {
            forget();
            return wanted;
        }
        if (wanted != top) {
            start(wanted);
            return allowed(wanted);
        }
        if (clean && steady && ran == (trial ? level - 1 : level)) {
            windowRows += rows;
            windowNanos += elapsed.toNanos();
        }
        if (windowNanos >= WINDOW.toNanos()) {
            double rate = windowRows * 1e9 / windowNanos;
            if (trial) {
                decide(rate, now);
            } else {
                levelRate = rate;
                trial = true;
                cap = level - 1;
                reason = workers(level - 1) + " of " + level + " for " + PaceController.format(WINDOW)
                        + ", measuring what worker " + level + " adds";
                clearWindow();
            }
        }
        return allowed(wanted);
    }

    /** Why fewer workers run than the budgets allow; empty when they do not. */
    String reason() {
        return reason;
    }

    /** A new stage of the work (copy, verification, replay): its rows are not comparable with the last stage's. */
    void reset() {
        forget();
        lastCount = 0;
    }

    private void decide(double lowRate, Duration now) {
        double needed = lowRate * (1 + MIN_SHARE / (level - 1));
        if (levelRate >= needed) {
            cap = above.isEmpty() ? NONE : level;
            reason = above.isEmpty() ? "" : workers(level) + ": " + above;
            holdUntil = now.plus(HOLD);
            trial = false;
            return;
        }
        String verdict = workers(level) + " moved " + rate(levelRate) + " rows/s against " + rate(lowRate) + " for "
                + workers(level - 1) + " (less than the " + Math.round(MIN_SHARE * 100) + "% of a worker's share"
                + " that worker " + level + " must add)";
        if (level - 1 >= 2) {
            // the same question of the next worker down, with this trial's rate as its measurement
            level -= 1;
            levelRate = lowRate;
            cap = level - 1;
            above = verdict;
            reason = verdict + "; measuring what worker " + level + " adds";
            clearWindow();
            return;
        }
        cap = level - 1;
        reason = workers(cap) + ": " + verdict;
        holdUntil = now.plus(HOLD);
        trial = false;
    }

    private void start(int wanted) {
        forget();
        top = wanted;
        level = wanted;
    }

    private void forget() {
        top = 0;
        level = 0;
        above = "";
        trial = false;
        cap = NONE;
        holdUntil = null;
        reason = "";
        clearWindow();
    }

    private void clearWindow() {
        windowRows = 0;
        windowNanos = 0;
    }

    private int allowed(int wanted) {
        return Math.min(wanted, cap);
    }

    private static String workers(int count) {
        return count == 1 ? "1 worker" : count + " workers";
    }

    private static String rate(double rowsPerSecond) {
        return String.format(Locale.ROOT, "%,d", Math.round(rowsPerSecond));
    }
}
