package dev.autopartition.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.autopartition.MigrationPhase;
import dev.autopartition.MigrationStatus;
import dev.autopartition.MigrationStrategy;
import dev.autopartition.TableName;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class ProgressTest {
    private static MigrationStatus status(MigrationPhase phase, long estimate, long copied, int attempts) {
        return new MigrationStatus(
                TableName.of("chat_messages"),
                MigrationStrategy.COPY,
                phase,
                estimate,
                copied,
                0,
                100,
                null,
                12,
                31,
                7,
                attempts,
                null,
                null,
                null);
    }

    @Test
    void describesTheCopyWithRateEtaAndPartitions() {
        MigrationStatus s = status(MigrationPhase.PREPARED, 43_200, 12_000, 0);
        assertThat(Progress.describe(s, 5_432.4))
                .isEqualTo("copying 12,000 of ~43,200 rows (27%), 5,432 rows/s, ETA 6s, 7/31 partitions attached,"
                        + " backlog 12");
        assertThat(Progress.eta(s, 1000)).isEqualTo(Duration.ofSeconds(32));
        assertThat(Progress.eta(s, 0)).as("no rate, no ETA").isNull();
    }

    @Test
    void drawsABarThatStaysBelowFullWhileCopying() {
        assertThat(Progress.bar(status(MigrationPhase.PREPARED, 100, 50, 0), 10))
                .startsWith("[============>           ]  50% copying 50 of ~100 rows (50%)");
        assertThat(Progress.bar(status(MigrationPhase.PREPARED, 100, 150, 0), 10))
                .as("the estimate is rough: more rows than estimated is still not done")
                .startsWith("[=======================>]  99% ");
        assertThat(Progress.bar(status(MigrationPhase.BACKFILLED, 100, 150, 0), 10))
                .startsWith("[========================] 100% catching up and verifying: backlog 12");
    }

    @Test
    void describesTheLaterPhases() {
        assertThat(Progress.describe(status(MigrationPhase.VERIFIED, 1, 1, 0), 0))
                .isEqualTo("verified: ready to cut over, backlog 12");
        assertThat(Progress.describe(status(MigrationPhase.VERIFIED, 1, 1, 3), 0))
                .isEqualTo("cutting over: attempt 3, backlog 12");
        assertThat(Progress.describe(status(MigrationPhase.CUT_OVER, 1, 1, 3), 0))
                .isEqualTo("cut over");
    }

    @Test
    void saysWhenTheCatchUpFallsBehind() {
        MigrationStatus keeping = status(MigrationPhase.BACKFILLED, 1, 1, 0);
        MigrationStatus behind = new MigrationStatus(
                keeping.table(),
                keeping.strategy(),
                keeping.phase(),
                1,
                1,
                0,
                0,
                null,
                44_951,
                31,
                31,
                0,
                null,
                "verifying",
                new MigrationStatus.FallingBehind(
                        java.time.Instant.parse("2026-12-06T10:00:00Z"), "catch-up is not keeping up"));
        assertThat(Progress.describe(keeping, 0)).doesNotContain("falling behind");
        assertThat(Progress.describe(behind, 0))
                .isEqualTo("catching up and verifying: backlog 44,951, 1 rows copied, 31/31 partitions attached;"
                        + " falling behind the writers: catch-up is not keeping up");
    }

    @Test
    void rateComesFromSuccessivePollsNotFromTheWholeMigration() {
        Progress.Rate rate = new Progress.Rate();
        assertThat(rate.update(10_000, 0)).as("one poll is not a rate").isNaN();
        assertThat(rate.update(11_000, 1_000_000_000L)).isEqualTo(1000.0);
        assertThat(rate.update(13_000, 2_000_000_000L)).as("smoothed").isEqualTo(0.3 * 2000 + 0.7 * 1000);
    }
}
