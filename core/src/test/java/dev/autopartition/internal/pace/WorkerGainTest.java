package dev.autopartition.internal.pace;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.function.IntToLongFunction;
import org.junit.jupiter.api.Test;

class WorkerGainTest {
    private static final Duration ROUND = Duration.ofMillis(200);

    private final WorkerGain gain = new WorkerGain();
    private Duration now = Duration.ZERO;
    private int running = 2;

    /** Rounds for {@code seconds} at the workers allowed, each moving {@code rowsPerSecond(workers)}. */
    private int rounds(int wanted, double seconds, IntToLongFunction rowsPerSecond, boolean clean) {
        for (int i = 0; i < Math.round(seconds * 5); i++) {
            long rows = rowsPerSecond.applyAsLong(running) / 5;
            now = now.plus(ROUND);
            running = gain.next(wanted, running, clean, rows, ROUND, now);
        }
        return running;
    }

    private int rounds(int wanted, double seconds, IntToLongFunction rowsPerSecond) {
        return rounds(wanted, seconds, rowsPerSecond, true);
    }

    @Test
    void aSecondWorkerThatAddsLittleIsDroppedSayingWhyAndTriedAgainLater() {
        IntToLongFunction rates = workers -> workers == 2 ? 100_000 : 95_000;
        assertThat(rounds(2, 5.2, rates))
                .as("after a window at 2, a trial at 1")
                .isEqualTo(1);
        assertThat(gain.reason()).contains("measuring what worker 2 adds");

        assertThat(rounds(2, 5.4, rates)).isEqualTo(1);
        assertThat(gain.reason())
                .isEqualTo("1 worker: 2 workers moved 100,000 rows/s against 95,000 for 1 worker (less than the 25% of"
                        + " a worker's share that worker 2 must add)");

        assertThat(rounds(2, 50, rates)).as("the decision holds").isEqualTo(1);
        assertThat(rounds(2, 12, rates)).as("and is asked again after a minute").isEqualTo(2);
    }

    @Test
    void aDecisionOutlivesADipOfTheBudgets() {
        IntToLongFunction rates = workers -> workers == 2 ? 100_000 : 95_000;
        assertThat(rounds(2, 10.4, rates)).isEqualTo(1);
        assertThat(rounds(1, 5, rates)).isEqualTo(1);
        assertThat(rounds(2, 1, rates))
                .as("no new comparison within the minute")
                .isEqualTo(1);
        assertThat(gain.reason()).startsWith("1 worker: 2 workers moved 100,000 rows/s");
    }

    @Test
    void aSecondWorkerThatPaysStays() {
        IntToLongFunction rates = workers -> workers * 90_000L;
        rounds(2, 5, rates);
        assertThat(rounds(2, 5.4, rates)).isEqualTo(2);
        assertThat(gain.reason()).isEmpty();
        assertThat(rounds(2, 50, rates)).isEqualTo(2);
    }

    @Test
    void pausedRoundsSayNothingOfWhatAWorkerCouldDo() {
        IntToLongFunction rates = workers -> workers == 2 ? 100_000 : 99_000;
        assertThat(rounds(2, 30, rates, false)).isEqualTo(2);
        assertThat(gain.reason()).isEmpty();
    }

    @Test
    void theRoundAfterAChangeOfWorkersIsNotCounted() {
        // a burst in the round in which the count changes would make the trial look as fast as two workers
        assertThat(rounds(2, 5.2, workers -> 100_000)).isEqualTo(1);
        now = now.plus(ROUND);
        running = gain.next(2, 1, true, 1_000_000, ROUND, now);
        rounds(2, 5.2, workers -> workers == 2 ? 100_000 : 50_000);
        assertThat(running).isEqualTo(2);
    }

    @Test
    void budgetsThatAllowOneWorkerEndTheComparison() {
        IntToLongFunction rates = workers -> 100_000;
        rounds(2, 5, rates);
        assertThat(rounds(1, 0.2, rates)).isEqualTo(1);
        assertThat(gain.reason()).isEmpty();
        assertThat(rounds(2, 0.2, rates)).as("a fresh window at 2").isEqualTo(2);
    }

    @Test
    void workersThatDoNotPayAreDroppedOneAfterTheOther() {
        running = 4;
        IntToLongFunction rates = workers -> workers >= 2 ? 200_000 : 100_000;
        assertThat(rounds(4, 5.2, rates)).isEqualTo(3);
        rounds(4, 5.4, rates);
        assertThat(gain.reason()).contains("measuring what worker 3 adds");
        assertThat(rounds(4, 5.4, rates))
                .as("3 adds nothing to 2; 2 is measured against 1")
                .isEqualTo(1);
        assertThat(rounds(4, 5.4, rates)).as("2 doubles 1").isEqualTo(2);
        assertThat(gain.reason()).startsWith("2 workers: 3 workers moved 200,000 rows/s against 200,000 for 2 workers");
    }

    @Test
    void aNewStageStartsAfresh() {
        IntToLongFunction rates = workers -> workers == 2 ? 100_000 : 95_000;
        rounds(2, 10.4, rates);
        assertThat(running).isEqualTo(1);
        gain.reset();
        assertThat(rounds(2, 0.4, rates)).isEqualTo(2);
        assertThat(gain.reason()).isEmpty();
    }
}
