package dev.autopartition.internal.pace;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import org.jspecify.annotations.Nullable;

/**
 * The feedback law, without a clock or a database so it can be tested with made-up measurements.
 *
 * <p>One number, the speed {@code s} in {@code [1/64, 1]}, says how much of the knobs' limits the work may use. Each
 * round it is multiplied by {@code (0.8 / pressure)^0.6}, where the pressure is the larger of probe latency over its
 * budget and standby lag over its budget: at 80% of the budget the speed holds, above it falls, below it rises, in
 * proportion to the distance. One round may at most halve it (a breach is cut fast) or raise it by 15% (the lag of a
 * standby shows a change only seconds later, so the ramp is gentle). The speed is then spread over the knobs:
 * {@code ceil(s * parallelism)} workers, batches of {@code s * batchSize} rows (at least 100), and after each batch a
 * pause that keeps each worker busy the fraction of the time the speed leaves it, never below the configured pause.
 * At the slowest speed one worker still works 1/64 of the time: the work never stops, it reports a stall.
 */
final class PaceController {
    /** The share of a budget the controller aims at; the rest absorbs the delay between a change and its effect. */
    static final double TARGET = 0.8;

    static final double GAIN = 0.6;
    static final double MAX_RISE = 1.15;
    static final double MAX_FALL = 0.5;
    static final double MIN_SPEED = 1.0 / 64;
    static final Duration MAX_PAUSE = Duration.ofSeconds(10);
    static final Duration STALL_AFTER = Duration.ofSeconds(30);

    /** Assumed before the first batch has been timed. */
    private static final Duration FIRST_BATCH_TIME = Duration.ofMillis(100);

    private final PaceLimits limits;
    private double speed;
    private @Nullable Duration slowestSince;

    PaceController(PaceLimits limits, double initialSpeed) {
        this.limits = limits;
        this.speed = clamp(initialSpeed, MIN_SPEED, 1);
    }

    double speed() {
        return speed;
    }

    /** Takes one round of measurements and returns the pace until the next. */
    Pace next(Signals signals) {
        double latencyRatio = ratio(signals.latency(), signals.latencyBudget());
        double lagRatio = ratio(signals.standbyLag(), limits.lagBudget());
        double pressure = Math.max(latencyRatio, lagRatio);
        double factor = pressure <= 0 ? MAX_RISE : clamp(Math.pow(TARGET / pressure, GAIN), MAX_FALL, MAX_RISE);
        speed = clamp(speed * factor, MIN_SPEED, 1);
        boolean slowest = speed <= MIN_SPEED && pressure > 1;
        if (!slowest) {
            slowestSince = null;
        } else if (slowestSince == null) {
            slowestSince = signals.now();
        }
        return pace(signals, reason(signals, latencyRatio, lagRatio, pressure));
    }

    private Pace pace(Signals signals, String reason) {
        int parallelism = Math.max(1, (int) Math.ceil(limits.maxParallelism() * speed - 1e-9));
        double duty = Math.min(1, speed * limits.maxParallelism() / parallelism);
        int batchRows = limits.adjustBatch()
                ? Math.max(limits.minBatchRows(), (int) Math.round(limits.maxBatchRows() * speed))
                : limits.maxBatchRows();
        Duration batchTime = signals.batchTime() == null ? FIRST_BATCH_TIME : signals.batchTime();
        Duration pause = Duration.ofNanos(Math.round(batchTime.toNanos() * (1 - duty) / duty));
        if (pause.compareTo(MAX_PAUSE) > 0) {
            pause = MAX_PAUSE;
        }
        if (pause.compareTo(limits.minPause()) < 0) {
            pause = limits.minPause();
        }
        return new Pace(batchRows, parallelism, pause, reason);
    }

    private String reason(Signals signals, double latencyRatio, double lagRatio, double pressure) {
        if (speed >= 1) {
            return "";
        }
        String what;
        Duration lag = signals.standbyLag();
        Duration latency = signals.latency();
        Duration latencyBudget = signals.latencyBudget();
        if (lag != null && lagRatio >= latencyRatio) {
            what = "standby lag " + format(lag) + (lagRatio > 1 ? " > " : " of ") + format(limits.lagBudget());
        } else if (latency != null && latencyBudget != null) {
            what = signals.latencyKind() + " " + format(latency) + (latencyRatio > 1 ? " > " : " of ")
                    + format(latencyBudget);
        } else {
            what = "nothing measured yet";
        }
        Duration since = slowestSince;
        if (since != null && signals.now().minus(since).compareTo(STALL_AFTER) >= 0) {
            return "stalled: " + what + " at the slowest pace for "
                    + format(signals.now().minus(since)) + ", still trying";
        }
        String share = " (" + Math.round(speed * 100) + "% of the limits)";
        return (pressure > TARGET ? what : "ramping up, " + what) + share;
    }

    private static double ratio(@Nullable Duration measured, @Nullable Duration budget) {
        if (measured == null || budget == null || budget.isZero()) {
            return 0;
        }
        return (double) measured.toNanos() / budget.toNanos();
    }

    private static double clamp(double value, double min, double max) {
        return Math.max(min, Math.min(max, value));
    }

    /** {@code 1.4 s}, {@code 1 s}, {@code 0.3 s} from 100 ms on, {@code 3.2 ms} below, {@code 0.15 ms} below 1 ms. */
    static String format(Duration duration) {
        long nanos = duration.toNanos();
        boolean seconds = nanos >= 100_000_000L;
        int decimals = nanos < 1_000_000L ? 2 : 1;
        BigDecimal value = BigDecimal.valueOf(nanos)
                .divide(BigDecimal.valueOf(seconds ? 1_000_000_000L : 1_000_000L), decimals, RoundingMode.HALF_UP)
                .stripTrailingZeros();
        return value.toPlainString() + (seconds ? " s" : " ms");
    }
}
