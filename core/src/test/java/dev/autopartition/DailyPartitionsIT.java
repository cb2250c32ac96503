package dev.autopartition;

import static org.assertj.core.api.Assertions.assertThat;

import dev.autopartition.testing.PostgresExtension;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class DailyPartitionsIT {
    @RegisterExtension
    static final PostgresExtension pg = new PostgresExtension();

    @Test
    void declaresDailyPartitionsAheadOfTheClockAndKeepsThemCurrent() {
        pg.execute("""
                CREATE TABLE chat_messages (
                  id bigserial, created_at timestamptz NOT NULL, chat_id bigint NOT NULL,
                  message text NOT NULL) PARTITION BY RANGE (created_at)""");
        Fixtures.MovableClock clock = new Fixtures.MovableClock("2022-01-10T15:00:00Z");
        AutoPartition ap = AutoPartition.configure(pg.dataSource()).clock(clock).build();

        TableReport report = ap.autoPartition(AutoPartitionSpec.builder(TableName.of("chat_messages"), "created_at")
                .increment("1 day")
                .minimumAdvancePartitions(2)
                .maximumAdvancePartitions(3)
                .build());

        assertThat(report.created())
                .as("created at declaration")
                .containsExactly(
                        "chat_messages_p20220110",
                        "chat_messages_p20220111",
                        "chat_messages_p20220112",
                        "chat_messages_p20220113");
        assertThat(Fixtures.partitions(pg, "chat_messages"))
                .as("bounds")
                .contains(
                        "chat_messages_p20220110: FOR VALUES FROM ('2022-01-10 00:00:00+00') TO ('2022-01-11 00:00:00+00')");

        clock.advance(Duration.ofDays(1));
        assertThat(ap.plan().isEmpty()).as("2 ahead after a day: nothing to do").isTrue();
        clock.advance(Duration.ofDays(1));
        MaintenanceReport second = ap.maintain();
        assertThat(second.created())
                .as("1 ahead is below the minimum: top up to 3 ahead")
                .isEqualTo(2);
        assertThat(Fixtures.partitionNames(pg, "chat_messages")).last().isEqualTo("chat_messages_p20220115");
    }
}
