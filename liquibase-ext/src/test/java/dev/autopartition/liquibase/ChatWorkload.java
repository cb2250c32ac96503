package dev.autopartition.liquibase;

import dev.autopartition.testing.TestDatabase;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The reference workload (../shared/workload/load.sql): plain {@code chats} and {@code chat_messages} at a scale,
 * and a writer that keeps inserting messages while Liquibase migrates them.
 */
final class ChatWorkload {
    private ChatWorkload() {}

    /** The tables of load.sql with its data; scale 1 is 720 chats and 1,037,520 messages. */
    static void load(TestDatabase database, double scale) {
        String step = "interval '1 hour' / " + scale;
        database.execute(
                "SET TimeZone = 'UTC'",
                "CREATE TABLE chats (id bigserial PRIMARY KEY, created_at timestamptz NOT NULL DEFAULT now())",
                "CREATE TABLE chat_messages (id bigserial PRIMARY KEY, created_at timestamptz NOT NULL,"
                        + " chat_id bigint NOT NULL, chat_created_at timestamptz NOT NULL, message text NOT NULL)",
                "SELECT setseed(0.42)",
                "INSERT INTO chats (created_at) SELECT generate_series('2022-01-01 00:00+00'::timestamptz,"
                        + " '2022-01-31 00:00+00'::timestamptz - " + step + ", " + step + ")",
                "INSERT INTO chat_messages (created_at, chat_id, chat_created_at, message)"
                        + " SELECT t, c.id, c.created_at, (ARRAY['hello', 'goodbye', 'I would like a sandwich please'])"
                        + "[1 + floor(random() * 3)::int] FROM chats c CROSS JOIN LATERAL"
                        + " generate_series(c.created_at, c.created_at + interval '1 day', interval '1 minute') AS t",
                "ALTER TABLE chat_messages ADD CONSTRAINT chat_messages_chat_id_fkey FOREIGN KEY (chat_id)"
                        + " REFERENCES chats (id)",
                "CREATE INDEX ON chats (created_at)",
                "CREATE INDEX ON chat_messages (created_at)",
                "ANALYZE chats",
                "ANALYZE chat_messages");
    }

    /** Inserts messages near 2022-01-31 12:00 UTC until stopped, and remembers the id and text of each. */
    static final class Writer implements Runnable {
        private final TestDatabase database;
        private final long chats;
        private final AtomicBoolean stop = new AtomicBoolean();
        private final List<String> written = Collections.synchronizedList(new ArrayList<>());
        final AtomicInteger failed = new AtomicInteger();
        private final Thread thread;

        Writer(TestDatabase database, long chats) {
            this.database = database;
            this.chats = chats;
            this.thread = new Thread(this, "writer");
        }

        Writer start() {
            thread.start();
            return this;
        }

        /** Stops and returns {@code id|text} of every committed insert. */
        List<String> stop() throws InterruptedException {
            stop.set(true);
            thread.join();
            return List.copyOf(written);
        }

        @Override
        public void run() {
            try (Connection c = database.connection();
                    PreparedStatement insert = c.prepareStatement("INSERT INTO chat_messages (created_at, chat_id,"
                            + " chat_created_at, message) SELECT '2022-01-31 12:00+00'::timestamptz + ? * interval"
                            + " '1 second', id, created_at, ? FROM chats WHERE id = ? RETURNING id")) {
                int n = 0;
                while (!stop.get()) {
                    String text = String.format(Locale.ROOT, "written during the migration #%d", ++n);
                    try {
                        insert.setInt(1, ThreadLocalRandom.current().nextInt(3600));
                        insert.setString(2, text);
                        insert.setLong(3, 1 + ThreadLocalRandom.current().nextLong(chats));
                        try (ResultSet rs = insert.executeQuery()) {
                            if (rs.next()) {
                                written.add(rs.getLong(1) + "|" + text);
                            }
                        }
                    } catch (SQLException e) {
                        failed.incrementAndGet();
                    }
                    Thread.sleep(2);
                }
            } catch (SQLException e) {
                throw new IllegalStateException(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
