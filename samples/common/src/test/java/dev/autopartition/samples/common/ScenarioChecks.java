package dev.autopartition.samples.common;

import static org.assertj.core.api.Assertions.assertThat;

import dev.autopartition.MigrationPhase;
import dev.autopartition.MigrationStatus;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.sql.DataSource;

/**
 * What every sample's scenario prints at a tenth of the reference data, checked against what the database holds:
 * the samples differ only in the tool that runs the migration.
 */
public final class ScenarioChecks {
    private static final Pattern PARTITION = Pattern.compile(
            "(?m)^(\\w+_p\\d{8}) +(\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d) +(\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d) +([\\d,]+)$");

    private ScenarioChecks() {}

    /** Checks the partition listing, the writer's rows, the cutover lock times and the maintenance preview. */
    public static void assertPrintedWhatTheDatabaseHolds(String output, ChatSample.Result result, DataSource db)
            throws SQLException {
        List<Partitions.Row> printed = new ArrayList<>();
        Matcher m = PARTITION.matcher(output);
        while (m.find()) {
            printed.add(new Partitions.Row(
                    m.group(1),
                    m.group(2),
                    m.group(3),
                    Long.parseLong(m.group(4).replace(",", ""))));
        }
        List<Partitions.Row> actual = new ArrayList<>(Partitions.of(db, "chats"));
        actual.addAll(Partitions.of(db, "chat_messages"));
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
        assertThat(output).contains(total(count(db, "chats"))).contains(total(count(db, "chat_messages")));

        assertThat(result.written()).as("the writer wrote during the migration").isNotEmpty();
        assertThat(result.missing()).isEmpty();
        assertThat(output)
                .contains("4. the writer committed "
                        + String.format(Locale.ROOT, "%,d", result.written().size())
                        + " messages meanwhile (0 inserts failed;")
                .contains("all of them are in chat_messages");
        assertThat(count(db, "chat_messages"))
                .isEqualTo(103_752 + result.written().size());

        for (String table : ChatSample.TABLES) {
            MigrationStatus status = Objects.requireNonNull(result.status().get(table));
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

    private static long count(DataSource db, String table) throws SQLException {
        try (Connection c = db.getConnection();
                Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("SELECT count(*) FROM " + table)) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
