package dev.autopartition.internal.pace;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class LagEstimatorTest {
    private static final long SECOND = 1_000_000_000L;

    @Test
    void aStandbyAtThePrimarysPositionHasNoLag() {
        LagEstimator lags = new LagEstimator();
        lags.primaryAt(0, 1_000);
        lags.primaryAt(5 * SECOND, 1_000);
        assertThat(lags.lag(5 * SECOND, 1_000, null)).isEqualTo(Duration.ZERO);
    }

    @Test
    void aStuckStandbyFallsBehindByTheTimeSinceThePrimaryWrotePastIt() {
        LagEstimator lags = new LagEstimator();
        lags.primaryAt(0, 1_000);
        lags.primaryAt(SECOND, 2_000); // first WAL the standby has not replayed
        lags.primaryAt(2 * SECOND, 9_000);
        // replay_lag keeps its last value while nothing is replayed: 10 ms
        assertThat(lags.lag(3 * SECOND, 1_000, Duration.ofMillis(10))).isEqualTo(Duration.ofSeconds(2));
        assertThat(lags.lag(3 * SECOND, 2_000, null)).isEqualTo(Duration.ofSeconds(1));
    }

    @Test
    void theReportedLagWinsWhenItIsLarger() {
        LagEstimator lags = new LagEstimator();
        lags.primaryAt(0, 1_000);
        assertThat(lags.lag(SECOND, 1_000, Duration.ofMillis(700))).isEqualTo(Duration.ofMillis(700));
    }
}
