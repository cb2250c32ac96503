package dev.autopartition.internal.migrate;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SliceWidthTest {

    @Test
    void aSliceThatHeldTwiceTheBatchIsHalved() {
        assertThat(PartitionLoader.nextWidth(1_000, 20_000, 10_000)).isEqualTo(500);
    }

    @Test
    void aSliceGrowsOrShrinksByAtMostFourTimes() {
        assertThat(PartitionLoader.nextWidth(1_000, 10, 10_000))
                .as("sparse slice")
                .isEqualTo(4_000);
        assertThat(PartitionLoader.nextWidth(1_000, 1_000_000, 10_000))
                .as("dense slice")
                .isEqualTo(250);
    }

    @Test
    void anEmptySliceQuadruplesTheWidth() {
        assertThat(PartitionLoader.nextWidth(1_000, 0, 10_000)).isEqualTo(4_000);
    }

    @Test
    void theWidthNeverFallsBelowOneNorOverflows() {
        assertThat(PartitionLoader.nextWidth(1, 1_000_000, 10)).isEqualTo(1);
        assertThat(PartitionLoader.nextWidth(Long.MAX_VALUE / 2, 0, 10)).isEqualTo(Long.MAX_VALUE);
    }
}
