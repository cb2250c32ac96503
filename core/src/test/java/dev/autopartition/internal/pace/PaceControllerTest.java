package dev.autopartition.internal.pace;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

class PaceControllerTest {
    private static final Duration LAG_BUDGET = Duration.ofSeconds(1);
    private static final Duration LATENCY_BUDGET = Duration.ofMillis(3);
    private static final Duration BATCH_TIME = Duration.ofMillis(200);
    private static final PaceLimits LIMITS = new PaceLimits(10_000, 4, Duration.ofMillis(5), LAG_BUDGET, true);

    private int round;

    private Signals signals(@Nullable Duration latency, @Nullable Duration lag) {
        round++;
        return new Signals(
                latency, LATENCY_BUDGET, "probe latency", lag, BATCH_TIME, BudgetPacer.ROUND.multipliedBy(round));
    }

    @Test
    void withNothingOverBudgetTheWorkRisesToTheKnobsLimits() {
        PaceController controller = new PaceController(LIMITS, 0.5);
        Pace pace = null;
        for (int i = 0; i < 10; i++) {
            pace = controller.next(signals(Duration.ofMillis(1), Duration.ZERO));
        }
        assertThat(pace).isEqualTo(new Pace(10_000, 4, Duration.ofMillis(5), ""));
    }

    @Test
    void standbyLagOverBudgetSlowsDownAndSaysWhy() {
        PaceController controller = new PaceController(LIMITS, 1);
        Pace pace = controller.next(signals(Duration.ofMillis(1), Duration.ofMillis(1400)));
        assertThat(controller.speed()).isLessThan(1).isGreaterThanOrEqualTo(PaceController.MAX_FALL);
        assertThat(pace.reason()).startsWith("standby lag 1.4 s > 1 s");
        assertThat(pace.batchRows()).isLessThan(10_000);
        assertThat(pace.pause()).isGreaterThan(Duration.ofMillis(5));
    }

    @Test
    void aLargerBreachSlowsDownMoreButOneRoundAtMostHalvesTheSpeed() {
        PaceController slight = new PaceController(LIMITS, 1);
        PaceController far = new PaceController(LIMITS, 1);
        PaceController extreme = new PaceController(LIMITS, 1);
        slight.next(signals(Duration.ofMillis(4), null));
        far.next(signals(Duration.ofMillis(8), null));
        extreme.next(signals(Duration.ofSeconds(5), null));
        assertThat(far.speed()).isLessThan(slight.speed());
        assertThat(extreme.speed()).isEqualTo(PaceController.MAX_FALL);
    }

    @Test
    void latencyOverBudgetIsReportedWhenItIsTheLargerPressure() {
        PaceController controller = new PaceController(LIMITS, 1);
        Pace pace = controller.next(signals(Duration.ofMillis(6), Duration.ofMillis(200)));
        assertThat(pace.reason()).startsWith("probe latency 6 ms > 3 ms");
    }

    @Test
    void atTheSlowestPaceOneWorkerStillWorksAndAStallIsReported() {
        PaceController controller = new PaceController(LIMITS, 1);
        Pace pace = controller.next(signals(Duration.ofMillis(1), Duration.ofSeconds(30)));
        for (int i = 0; i < 200; i++) { // 40 s of rounds with the standby far behind
            pace = controller.next(signals(Duration.ofMillis(1), Duration.ofSeconds(30)));
        }
        assertThat(controller.speed()).isEqualTo(PaceController.MIN_SPEED);
        assertThat(pace.parallelism()).isEqualTo(1);
        assertThat(pace.batchRows()).isEqualTo(156); // 10,000 / 64
        assertThat(pace.pause()).isLessThanOrEqualTo(PaceController.MAX_PAUSE).isPositive();
        assertThat(pace.reason())
                .startsWith("stalled: standby lag 30 s > 1 s at the slowest pace for ")
                .endsWith("still trying");
    }

    @Test
    void afterTheLagIsGoneTheWorkRecoversToTheLimits() {
        PaceController controller = new PaceController(LIMITS, 1);
        for (int i = 0; i < 50; i++) {
            controller.next(signals(Duration.ofMillis(1), Duration.ofSeconds(3)));
        }
        assertThat(controller.speed()).isEqualTo(PaceController.MIN_SPEED);
        Pace pace = controller.next(signals(Duration.ofMillis(1), Duration.ZERO));
        assertThat(pace.reason()).startsWith("ramping up, probe latency 1 ms of 3 ms");
        for (int i = 0; i < 60; i++) { // 12 s
            pace = controller.next(signals(Duration.ofMillis(1), Duration.ZERO));
        }
        assertThat(pace).isEqualTo(new Pace(10_000, 4, Duration.ofMillis(5), ""));
    }

    @Test
    void inAClosedLoopTheLatencySettlesInsideTheBudget() {
        // a server whose probe takes 1 ms idle and 3 ms more at the knobs' full pace
        PaceController controller = new PaceController(LIMITS, 0.5);
        double latencyMillis = 1;
        double worstLate = 0;
        for (int i = 0; i < 300; i++) {
            controller.next(signals(Duration.ofNanos(Math.round(latencyMillis * 1e6)), null));
            latencyMillis = 1 + 3 * controller.speed();
            if (i >= 100) {
                worstLate = Math.max(worstLate, latencyMillis);
            }
        }
        // the controller aims at 80% of the 3 ms budget: 2.4 ms, at a speed of about 0.47
        assertThat(worstLate).isLessThanOrEqualTo(3.0);
        assertThat(latencyMillis).isCloseTo(2.4, org.assertj.core.data.Offset.offset(0.15));
    }

    @Test
    void theWorkersShareTheSpeedAndEachWorksItsShareOfTheTime() {
        PaceController controller = new PaceController(LIMITS, 0.3);
        // exactly the target, 80% of the budget: the speed holds
        Pace pace = controller.next(signals(Duration.ofNanos(2_400_000), null));
        assertThat(controller.speed()).isCloseTo(0.3, org.assertj.core.data.Offset.offset(1e-9));
        assertThat(pace.parallelism()).isEqualTo(2); // ceil(4 * 0.3)
        assertThat(pace.batchRows()).isEqualTo(3_000);
        // each of the 2 workers works 0.6 of the time: a pause of 200 ms * 0.4 / 0.6
        assertThat(pace.pause().toMillis()).isEqualTo(133);
    }

    @Test
    void withoutAProbeTheBatchKeepsItsSize() {
        PaceLimits selfTimed = new PaceLimits(10_000, 2, Duration.ZERO, LAG_BUDGET, false);
        PaceController controller = new PaceController(selfTimed, 1);
        Pace pace = controller.next(signals(Duration.ofMillis(30), null));
        assertThat(controller.speed()).isLessThan(1);
        assertThat(pace.batchRows()).isEqualTo(10_000);
    }

    @Test
    void theLatencyBudgetIsTheMultipleButNotBelowTheFloor() {
        assertThat(PaceLimits.latencyBudget(Duration.ofMillis(4), 1.5, Duration.ofMillis(2)))
                .isEqualTo(Duration.ofMillis(6));
        assertThat(PaceLimits.latencyBudget(Duration.ofNanos(300_000), 1.5, Duration.ofMillis(2)))
                .isEqualTo(Duration.ofMillis(2));
    }

    @Test
    void durationsReadLikeTheStatusLine() {
        assertThat(PaceController.format(Duration.ofMillis(1400))).isEqualTo("1.4 s");
        assertThat(PaceController.format(Duration.ofSeconds(1))).isEqualTo("1 s");
        assertThat(PaceController.format(Duration.ofMillis(250))).isEqualTo("0.3 s");
        assertThat(PaceController.format(Duration.ofNanos(3_240_000))).isEqualTo("3.2 ms");
        assertThat(PaceController.format(Duration.ofNanos(154_000))).isEqualTo("0.15 ms");
        assertThat(PaceController.format(Duration.ZERO)).isEqualTo("0 ms");
    }
}
