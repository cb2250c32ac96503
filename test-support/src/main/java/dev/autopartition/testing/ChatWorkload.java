package dev.autopartition.testing;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The reference workload (../shared/workload/load.sql) and a writer that changes it while a migration runs. Every
 * change is made in the same transaction to an "oracle" copy of the table that no migration touches, so afterwards
 * the migrated table must equal the oracle row for row. Shared by the engine's and the Flyway extension's tests.
 */
public final class ChatWorkload {
    private ChatWorkload() {}

    public static final String MESSAGE_COLUMNS = "id, created_at, chat_id, chat_created_at, message";

    /** Plain chats and chat_messages at a scale (1 = 1,037,520 messages), and the oracle copy of the messages. */
    public static void load(PostgresExtension pg, String prefix, double scale) {
        pg.execute(
                "SET TimeZone = 'UTC'",
                "CREATE TABLE " + prefix + "chats (id bigserial PRIMARY KEY,"
                        + " created_at timestamptz NOT NULL DEFAULT now())",
                "CREATE TABLE " + prefix + "chat_messages (id bigserial PRIMARY KEY, created_at timestamptz NOT NULL,"
                        + " chat_id bigint NOT NULL, chat_created_at timestamptz NOT NULL, message text NOT NULL)",
                "SELECT setseed(0.42)",
                "INSERT INTO " + prefix
                        + "chats (created_at) SELECT generate_series('2022-01-01 00:00+00'::timestamptz,"
                        + " '2022-01-31 00:00+00'::timestamptz - interval '1 hour' / " + scale
                        + ", interval '1 hour' / "
                        + scale + ")",
                "INSERT INTO " + prefix + "chat_messages (created_at, chat_id, chat_created_at, message)"
                        + " SELECT t, c.id, c.created_at, (ARRAY['hello', 'goodbye', 'I would like a sandwich please'])"
                        + "[1 + floor(random() * 3)::int] FROM " + prefix + "chats c CROSS JOIN LATERAL"
                        + " generate_series(c.created_at, c.created_at + interval '1 day', interval '1 minute') AS t",
                "ALTER TABLE " + prefix + "chat_messages ADD CONSTRAINT " + prefix + "chat_messages_chat_id_fkey"
                        + " FOREIGN KEY (chat_id) REFERENCES " + prefix + "chats (id)",
                "CREATE INDEX ON " + prefix + "chats (created_at)",
                "CREATE INDEX ON " + prefix + "chat_messages (created_at)",
                "CREATE TABLE " + prefix + "oracle AS SELECT * FROM " + prefix + "chat_messages",
                "ALTER TABLE " + prefix + "oracle ADD PRIMARY KEY (id)",
                "ANALYZE " + prefix + "chat_messages");
    }

    /** Rows of the table that differ from the oracle, in either direction. */
    public static long differences(PostgresExtension pg, String table, String oracle) {
        String sql = "SELECT (SELECT count(*) FROM (SELECT " + MESSAGE_COLUMNS + " FROM " + table
                + " EXCEPT SELECT " + MESSAGE_COLUMNS + " FROM " + oracle
                + ") a) + (SELECT count(*) FROM (SELECT "
                + MESSAGE_COLUMNS + " FROM " + oracle + " EXCEPT SELECT " + MESSAGE_COLUMNS + " FROM " + table
                + ") b)";
        try (Connection c = pg.connection();
                var st = c.createStatement();
                ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        } catch (SQLException e) {
            throw new IllegalStateException(sql, e);
        }
    }

    /** Inserts, updates (also of the partition key) and deletes messages, mirroring each into the oracle. */
    public static final class Writer implements Runnable {
        private final PostgresExtension pg;
        private final String table;
        private final String oracle;
        private final long maxId;
        private final AtomicBoolean stop;
        public final AtomicInteger committed = new AtomicInteger();
        public final AtomicInteger rolledBack = new AtomicInteger();
        public volatile long slowestNanos;

        public Writer(PostgresExtension pg, String prefix, long maxId, AtomicBoolean stop) {
            this.pg = pg;
            this.table = prefix + "chat_messages";
            this.oracle = prefix + "oracle";
            this.maxId = maxId;
            this.stop = stop;
        }

        @Override
        public void run() {
            try (Connection c = pg.connection()) {
                c.setAutoCommit(false);
                while (!stop.get()) {
                    long start = System.nanoTime();
                    try {
                        change(c);
                        c.commit();
                        committed.incrementAndGet();
                    } catch (SQLException e) {
                        c.rollback();
                        rolledBack.incrementAndGet();
                    }
                    slowestNanos = Math.max(slowestNanos, System.nanoTime() - start);
                }
            } catch (SQLException e) {
                throw new IllegalStateException(e);
            }
        }

        private void change(Connection c) throws SQLException {
            ThreadLocalRandom random = ThreadLocalRandom.current();
            long id = 1 + random.nextLong(maxId);
            String day = "'2022-01-" + String.format(java.util.Locale.ROOT, "%02d", 1 + random.nextInt(31))
                    + " 12:00+00'::timestamptz + interval '" + random.nextInt(1440) + " minutes'";
            switch (random.nextInt(4)) {
                case 0 -> {
                    long newId;
                    try (PreparedStatement ps = c.prepareStatement("INSERT INTO " + table
                            + " (created_at, chat_id, chat_created_at, message) SELECT " + day + ", id, created_at,"
                            + " 'new' FROM " + table.replace("chat_messages", "chats") + " ORDER BY random() LIMIT 1"
                            + " RETURNING id")) {
                        try (ResultSet rs = ps.executeQuery()) {
                            rs.next();
                            newId = rs.getLong(1);
                        }
                    }
                    execute(
                            c,
                            "INSERT INTO " + oracle + " SELECT " + MESSAGE_COLUMNS + " FROM " + table + " WHERE id = "
                                    + newId);
                }
                case 1 -> both(c, "UPDATE %s SET message = message || '!' WHERE id = " + id);
                case 2 -> both(c, "UPDATE %s SET created_at = " + day + " WHERE id = " + id);
                default -> both(c, "DELETE FROM %s WHERE id = " + id);
            }
        }

        private void both(Connection c, String sql) throws SQLException {
            execute(c, sql.replace("%s", table));
            execute(c, sql.replace("%s", oracle));
        }

        private static void execute(Connection c, String sql) throws SQLException {
            try (var st = c.createStatement()) {
                st.execute(sql);
            }
        }
    }
}
