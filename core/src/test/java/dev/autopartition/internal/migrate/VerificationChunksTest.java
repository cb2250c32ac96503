package dev.autopartition.internal.migrate;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class VerificationChunksTest {

    private static List<TargetPartition> days(long from, int count, long rows) {
        List<TargetPartition> result = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            result.add(new TargetPartition("p" + (from + i), from + i, from + i + 1, "attached", null, rows));
        }
        return result;
    }

    @Test
    void emptyPartitionsShareAFewRuns() {
        List<List<TargetPartition>> chunks = Verification.chunks(days(0, 1_800, 0));
        assertThat(chunks).as("1,800 empty partitions").hasSize(5);
        assertThat(chunks.stream().mapToInt(List::size).sum()).isEqualTo(1_800);
    }

    @Test
    void aRunStaysNearItsRowBudget() {
        List<List<TargetPartition>> chunks = Verification.chunks(days(0, 31, 33_000));
        assertThat(chunks).as("31 days of 33,000 rows").hasSize(6);
        assertThat(chunks.get(0)).as("six days fit in 200,000 rows").hasSize(6);
    }

    @Test
    void aRunNeverSpansAGap() {
        List<TargetPartition> partitions = new ArrayList<>(days(0, 3, 0));
        partitions.addAll(days(10, 3, 0));
        assertThat(Verification.chunks(partitions)).hasSize(2);
    }
}
