package dev.autopartition.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.autopartition.Increment;
import dev.autopartition.TableName;
import dev.autopartition.TableStatus;
import java.time.Instant;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

class ReportsTest {
    private static TableStatus status(String table, long ahead, int minimum) {
        return status(table, ahead, minimum, null);
    }

    /** Six daily partitions maintained at noon; {@code placement} as Citus reports it, null on plain PostgreSQL. */
    private static TableStatus status(String table, long ahead, int minimum, @Nullable String placement) {
        return new TableStatus(
                TableName.of(table),
                "created_at",
                Increment.parse("1 day"),
                true,
                6,
                ahead,
                minimum,
                "2022-01-10 00:00:00+00:00",
                "2022-01-16 00:00:00+00:00",
                null,
                Instant.parse("2022-01-10T12:00:00Z"),
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                placement);
    }

    @Test
    void aTableWithNoPartitionForNowHasNoneAheadInTheText() {
        String text = Reports.status(List.of(status("late", -1, 40), status("fine", 3, 2)), "autopartition");
        assertThat(text.lines().filter(line -> line.startsWith("\"public\".\"late\"")))
                .as(text)
                .singleElement()
                .asString()
                .contains("  none/40  ")
                .doesNotContain(" -1/")
                .endsWith("attention: no partition for now (run maintain)");
        assertThat(text.lines().filter(line -> line.startsWith("\"public\".\"fine\"")))
                .as(text)
                .singleElement()
                .asString()
                .contains("  3/2  ")
                .endsWith("ok");
    }

    @Test
    void aCitusTableSaysHowItIsDistributed() {
        TableStatus plain = status("plain", 3, 2);
        TableStatus distributed = status("events", 3, 2, "distributed by \"tenant_id\" (co-location group 2)");
        String text = Reports.status(List.of(plain, distributed), "autopartition");
        assertThat(text.lines().filter(line -> line.contains("Citus")))
                .as(text)
                .containsExactly(
                        "\"public\".\"events\" is a Citus table: distributed by \"tenant_id\" (co-location group 2)");
        assertThat(Reports.json(distributed))
                .containsEntry("citus", "distributed by \"tenant_id\" (co-location group 2)");
        assertThat(Reports.json(plain)).as("plain PostgreSQL: no key").doesNotContainKey("citus");
    }

    @Test
    void theJsonKeepsTheNumber() {
        assertThat(Reports.json(status("late", -1, 40)))
                .as("-1 in JSON, as documented: the current partition is missing")
                .containsEntry("advancePartitions", -1L)
                .containsEntry("minimumAdvancePartitions", 40);
    }
}
