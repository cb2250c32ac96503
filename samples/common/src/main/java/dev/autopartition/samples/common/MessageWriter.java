package dev.autopartition.samples.common;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import org.jspecify.annotations.Nullable;

/**
 * The application while the tables migrate: a thread that keeps inserting messages into {@code chat_messages}, each
 * in its own transaction, dated in the hour after {@link ChatWorkload#NOW}, and remembers every message it committed,
 * so that afterwards {@link #missing} can tell whether each is still there.
 */
public final class MessageWriter {
    private final DataSource dataSource;
    private final long chats;
    private final AtomicBoolean stop = new AtomicBoolean();
    private final List<Message> written = Collections.synchronizedList(new ArrayList<>());
    private final AtomicInteger failed = new AtomicInteger();
    private final Thread thread;
    private volatile long slowestNanos;
    private volatile @Nullable String lastError;

    /** A message the writer committed. */
    public record Message(long id, String text) {}

    /**
     * @param chats how many chats there are (ids 1 to chats); each message goes to a random one
     */
    public MessageWriter(DataSource dataSource, long chats) {
        this.dataSource = dataSource;
        this.chats = chats;
        this.thread = new Thread(this::run, "message-writer");
        this.thread.setDaemon(true);
    }

    /** Starts writing. */
    public MessageWriter start() {
        thread.start();
        return this;
    }

    /** Stops writing and waits for the last insert; returns every committed message. */
    public List<Message> stop() throws InterruptedException {
        stop.set(true);
        thread.join();
        return List.copyOf(written);
    }

    /** Inserts that failed (and were not retried). */
    public int failed() {
        return failed.get();
    }

    /** The last failure, or null. */
    public @Nullable String lastError() {
        return lastError;
    }

    /** The longest one insert took, in milliseconds: what a lock held by the migration cost the application. */
    public double slowestMillis() {
        return slowestNanos / 1e6;
    }

    private void run() {
        String sql = "INSERT INTO chat_messages (created_at, chat_id, chat_created_at, message)"
                + " SELECT ?::timestamptz + ? * interval '1 millisecond', id, created_at, ? FROM chats WHERE id = ?"
                + " RETURNING id";
        try (Connection c = dataSource.getConnection();
                PreparedStatement insert = c.prepareStatement(sql)) {
            int n = 0;
            while (!stop.get()) {
                String text = String.format(Locale.ROOT, "written during the migration, #%d", ++n);
                long started = System.nanoTime();
                try {
                    insert.setString(1, ChatWorkload.NOW.toString());
                    insert.setLong(2, ThreadLocalRandom.current().nextLong(3_600_000));
                    insert.setString(3, text);
                    insert.setLong(4, 1 + ThreadLocalRandom.current().nextLong(chats));
                    try (ResultSet rs = insert.executeQuery()) {
                        if (rs.next()) {
                            written.add(new Message(rs.getLong(1), text));
                        }
                    }
                } catch (SQLException e) {
                    failed.incrementAndGet();
                    lastError = e.getMessage();
                }
                slowestNanos = Math.max(slowestNanos, System.nanoTime() - started);
                Thread.sleep(2);
            }
        } catch (SQLException e) {
            lastError = e.getMessage();
            failed.incrementAndGet();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The messages that are not in {@code chat_messages} with the text they were written with. */
    public static List<Message> missing(DataSource dataSource, List<Message> written) throws SQLException {
        Map<Long, String> found = new HashMap<>();
        try (Connection c = dataSource.getConnection();
                PreparedStatement st = c.prepareStatement("SELECT id, message FROM chat_messages WHERE id = ANY (?)")) {
            Array ids =
                    c.createArrayOf("bigint", written.stream().map(Message::id).toArray(Long[]::new));
            st.setArray(1, ids);
            try (ResultSet rs = st.executeQuery()) {
                while (rs.next()) {
                    found.put(rs.getLong(1), rs.getString(2));
                }
            }
        }
        return written.stream().filter(m -> !m.text().equals(found.get(m.id()))).toList();
    }
}
