package dev.autopartition.samples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.autopartition.testing.PostgresExtension;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class ChatDemoIT {
    @RegisterExtension
    static final PostgresExtension pg = new PostgresExtension();

    @Test
    void printsEveryPartitionWithTheRowCountsTheDatabaseHolds() throws Exception {
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        List<ChatDemo.PartitionRows> printed;
        try (PrintStream out = new PrintStream(buffer, true, StandardCharsets.UTF_8)) {
            printed = ChatDemo.run(pg.dataSource(), out, 1, "the test database");
        }
        String output = buffer.toString(StandardCharsets.UTF_8);

        assertThat(printed)
                .as("the 1st of January to 5 days after the moved clock")
                .hasSize(40);
        assertThat(printed.get(0))
                .isEqualTo(new ChatDemo.PartitionRows(
                        "chat_messages_p20220101", "2022-01-01 00:00", "2022-01-02 00:00", 18_000));
        assertThat(printed.subList(1, 30))
                .as("the workload's daily counts (the article's own output)")
                .allMatch(p -> p.rows() == 34_584);
        assertThat(printed.get(30).rows()).isEqualTo(16_584);
        assertThat(printed.stream().mapToLong(ChatDemo.PartitionRows::rows).sum())
                .as("every message landed in a partition")
                .isEqualTo(count())
                .isEqualTo(1_037_520);
        assertThat(ChatDemo.partitions(pg.dataSource()))
                .as("the listing is what the database holds")
                .isEqualTo(printed);
        assertThat(output)
                .contains("chat_messages_p20220101    2022-01-01 00:00  2022-01-02 00:00      18,000")
                .contains("the clock moves to 2022-02-04T12:00:00Z; maintenance: 4 created, 0 removed")
                .contains("next maintenance run: nothing to do");
    }

    private static long count() throws Exception {
        try (Connection c = pg.connection();
                ResultSet rs = c.createStatement().executeQuery("SELECT count(*) FROM chat_messages")) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
