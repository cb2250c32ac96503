package dev.autopartition;

import static org.assertj.core.api.Assertions.assertThat;

import dev.autopartition.testing.ChatWorkload;
import dev.autopartition.testing.PostgresExtension;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The reference workload at its full size (1,037,520 messages; {@code -Dautopartition.reference.scale} lowers it on a
 * slow machine): {@code chats} and then {@code chat_messages} migrated to daily partitions while writers insert,
 * update (also the partition key) and delete messages; afterwards every message equals the oracle the writers kept in
 * the same transactions, the chats are unchanged, and the sequence carries on without a collision.
 */
class MigrationReferenceScaleIT {
    @RegisterExtension
    static final PostgresExtension pg = new PostgresExtension();

    private static final String CHATS = "SELECT count(*) || ' ' || sum(hashtext(id || ' ' || created_at)) FROM chats";

    private static MigrationSpec.Builder daily(String table) {
        return MigrationSpec.builder(AutoPartitionSpec.builder(TableName.of(table), "created_at")
                .increment("1 day")
                .maximumAdvancePartitions(3)
                .build());
    }

    @Test
    void theFullReferenceWorkloadMigratesUnderWritesWithoutADifference() throws Exception {
        double scale = Double.parseDouble(System.getProperty("autopartition.reference.scale", "1"));
        ChatWorkload.load(pg, "", scale);
        long messages = Fixtures.number(pg, "SELECT count(*) FROM chat_messages");
        assertThat(messages).as("the reference size").isGreaterThan((long) (1_000_000 * scale));
        String chatsBefore = Fixtures.string(pg, CHATS);
        long maxId = Fixtures.number(pg, "SELECT max(id) FROM chat_messages");
        AutoPartition ap = AutoPartition.configure(pg.dataSource())
                .clock(new Fixtures.MovableClock("2022-01-31T12:00:00Z"))
                .build();

        AtomicBoolean stop = new AtomicBoolean();
        List<ChatWorkload.Writer> writers = new ArrayList<>();
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            ChatWorkload.Writer writer = new ChatWorkload.Writer(pg, "", maxId, stop);
            writers.add(writer);
            threads.add(new Thread(writer, "writer-" + i));
        }
        threads.forEach(Thread::start);
        MigrationStatus chats;
        MigrationStatus chatMessages;
        try {
            chats = ap.migrateToPartitioned(daily("chats")
                    .foreignKeyKeyColumn("chat_messages_chat_id_fkey", "chat_created_at")
                    .build());
            chatMessages = ap.migrateToPartitioned(daily("chat_messages").build());
            Thread.sleep(300); // writes after the cutover go to the partitioned tables
        } finally {
            stop.set(true);
            for (Thread thread : threads) {
                thread.join();
            }
        }

        assertThat(List.of(chats.phase(), chatMessages.phase()))
                .containsExactly(MigrationPhase.CUT_OVER, MigrationPhase.CUT_OVER);
        assertThat(writers.stream().mapToInt(w -> w.committed.get()).sum())
                .as("writers did work")
                .isGreaterThan(100);
        assertThat(ChatWorkload.differences(pg, "chat_messages", "oracle"))
                .as("messages missing, extra or different")
                .isZero();
        assertThat(Fixtures.string(pg, CHATS)).as("the chats").isEqualTo(chatsBefore);
        assertThat(Fixtures.number(
                        pg,
                        "SELECT count(*) FROM chat_messages WHERE tableoid::regclass::text <>"
                                + " 'chat_messages_p' || to_char(created_at AT TIME ZONE 'UTC', 'YYYYMMDD')"))
                .as("messages outside their day's partition")
                .isZero();
        pg.execute("INSERT INTO chat_messages (created_at, chat_id, chat_created_at, message)"
                + " SELECT '2022-01-31 13:00+00', id, created_at, 'after' FROM chats ORDER BY id LIMIT 1");
        assertThat(Fixtures.number(pg, "SELECT max(id) FROM chat_messages WHERE message = 'after'"))
                .as("the sequence carries on past every id handed out before")
                .isGreaterThan(Fixtures.number(pg, "SELECT max(id) FROM oracle"));
        System.out.printf(
                java.util.Locale.ROOT,
                "reference scale %s: %,d messages; %,d writer transactions; cutover lock held %.1f ms (chats) and"
                        + " %.1f ms (chat_messages)%n",
                scale,
                messages,
                writers.stream().mapToInt(w -> w.committed.get()).sum(),
                chats.cutoverLockMillis(),
                chatMessages.cutoverLockMillis());
    }
}
