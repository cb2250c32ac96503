package dev.autopartition.samples.liquibase.xml;

import static org.assertj.core.api.Assertions.assertThat;

import dev.autopartition.MigrationPhase;
import dev.autopartition.MigrationStatus;
import dev.autopartition.samples.common.ChatSample;
import dev.autopartition.samples.common.Partitions;
import dev.autopartition.samples.common.SampleDatabase;
import dev.autopartition.testing.PostgresExtension;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The sample on the embedded server, at a tenth of the reference data: what it prints is what the database holds. */
class LiquibaseXmlSampleIT {
    @RegisterExtension
    static final PostgresExtension pg = new PostgresExtension();

    private static final Pattern PARTITION = Pattern.compile(
            "(?m)^(\\w+_p\\d{8}) +(\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d) +(\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d) +([\\d,]+)$");

    @Test
    void printsThePartitionsAndRowCountsTheDatabaseHolds() throws Exception {
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        ChatSample.Result result;
        try (PrintStream out = new PrintStream(buffer, true, StandardCharsets.UTF_8)) {
            result = ChatSample.run(
                    SampleDatabase.of(pg.database(), "the test database"),
                    out,
                    0.1,
                    "test",
                    "liquibase update " + LiquibaseXmlSample.CHANGELOG,
                    LiquibaseXmlSample::update);
        }
        String output = buffer.toString(StandardCharsets.UTF_8);

        List<Partitions.Row> printed = new ArrayList<>();
        Matcher m = PARTITION.matcher(output);
        while (m.find()) {
            printed.add(new Partitions.Row(
                    m.group(1),
                    m.group(2),
                    m.group(3),
                    Long.parseLong(m.group(4).replace(",", ""))));
        }
        List<Partitions.Row> actual = new ArrayList<>(Partitions.of(pg.dataSource(), "chats"));
        actual.addAll(Partitions.of(pg.dataSource(), "chat_messages"));
        assertThat(printed)
                .as("the printed partitions, bounds and row counts are the database's")
                .isEqualTo(actual)
                .hasSize(70);
        assertThat(printed.get(0))
                .isEqualTo(new Partitions.Row("chats_p20220101", "2022-01-01 00:00", "2022-01-02 00:00", 3));
        assertThat(printed.get(35))
                .as(
                        "the first day at scale 0.1: chats at 00:00, 10:00 and 20:00, a message a minute for a day after each")
                .isEqualTo(new Partitions.Row(
                        "chat_messages_p20220101", "2022-01-01 00:00", "2022-01-02 00:00", 1_440 + 840 + 240));
        assertThat(printed.get(69).name()).as("4 days ahead of the clock").isEqualTo("chat_messages_p20220204");
        assertThat(output).contains(total(count("chats"))).contains(total(count("chat_messages")));

        assertThat(result.written()).as("the writer wrote during the migration").isNotEmpty();
        assertThat(result.missing()).isEmpty();
        assertThat(output)
                .contains("4. the writer committed "
                        + String.format(Locale.ROOT, "%,d", result.written().size())
                        + " messages meanwhile (0 inserts failed;")
                .contains("all of them are in chat_messages");
        assertThat(count("chat_messages")).isEqualTo(103_752 + result.written().size());

        assertThat(output)
                .contains("3. liquibase update db/changelog/chat.xml: done in ")
                .contains("     chats-partitioned          EXECUTED  migrateToPartitioned")
                .contains("     chat-messages-partitioned  EXECUTED  migrateToPartitioned")
                .contains("     maintain-partitions        EXECUTED  maintainPartitions");
        for (String table : ChatSample.TABLES) {
            MigrationStatus status =
                    java.util.Objects.requireNonNull(result.status().get(table));
            assertThat(status.phase()).isEqualTo(MigrationPhase.CUT_OVER);
            Double lock = status.cutoverLockMillis();
            assertThat(lock).isNotNull();
            assertThat(output)
                    .contains(String.format(Locale.ROOT, "cutover of %-14s held its lock %.1f ms", table + ":", lock));
        }
        assertThat(output)
                .contains("foreign key chat_messages_chat_id_fkey: FOREIGN KEY (chat_id, chat_created_at) REFERENCES"
                        + " chats(id, created_at)")
                .contains("next maintenance run (2022-01-31T12:00:00Z): nothing to do")
                .contains("3 days later (2022-02-03T12:00:00Z) it would:\n"
                        + "  create partition chats_p20220205 of chats for [2022-02-05 00:00:00+00:00,"
                        + " 2022-02-06 00:00:00+00:00)")
                .contains("  drop partition chat_messages_p20220103 of chat_messages ([2022-01-03 00:00:00+00:00,"
                        + " 2022-01-04 00:00:00+00:00), past retention");
    }

    private static String total(long rows) {
        return String.format(Locale.ROOT, "%-62s %,10d", "35 partitions", rows);
    }

    private static long count(String table) throws Exception {
        try (Connection c = pg.connection();
                Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("SELECT count(*) FROM " + table)) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
