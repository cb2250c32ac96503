package dev.autopartition.samples.common;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.Locale;
import javax.sql.DataSource;

/**
 * The reference workload of {@code ../shared/workload/load.sql}: the chat application's plain {@code chats} and
 * {@code chat_messages} tables and their data. Scale 1 is one chat per hour from 2022-01-01 to 2022-01-30 (720 chats)
 * and one message per minute for a day after each chat starts (1,037,520 messages over 31 days); scale N has N times
 * the rows over the same days.
 */
public final class ChatWorkload {
    /** The samples' fixed "now": the middle of the workload's last day. */
    public static final Instant NOW = Instant.parse("2022-01-31T12:00:00Z");

    private ChatWorkload() {}

    /** How much was loaded. */
    public record Loaded(long chats, long messages, double seconds) {}

    /**
     * Drops what an earlier run of a sample left (the tables, the originals a migration keeps for an undo, the
     * engine's catalog and Liquibase's history) and creates the plain tables of load.sql with the data at a scale.
     */
    public static Loaded load(DataSource dataSource, double scale) throws SQLException {
        if (!(scale > 0) || scale > 1000) {
            throw new IllegalArgumentException("scale must be above 0 and at most 1000, was " + scale);
        }
        long started = System.nanoTime();
        String step = "interval '1 hour' / " + String.format(Locale.ROOT, "%s", scale);
        try (Connection c = dataSource.getConnection();
                Statement st = c.createStatement()) {
            st.execute("SET TimeZone = 'UTC'");
            st.execute("DROP TABLE IF EXISTS chat_messages, chats, chat_messages_retired, chats_retired,"
                    + " chat_messages_autopartition_new, chats_autopartition_new, databasechangelog,"
                    + " databasechangeloglock CASCADE");
            st.execute("DROP SCHEMA IF EXISTS autopartition CASCADE");
            st.execute("CREATE TABLE chats (id bigserial PRIMARY KEY, created_at timestamptz NOT NULL DEFAULT now())");
            st.execute("""
                    CREATE TABLE chat_messages (
                      id bigserial PRIMARY KEY,
                      created_at timestamptz NOT NULL,
                      chat_id bigint NOT NULL,
                      chat_created_at timestamptz NOT NULL,
                      message text NOT NULL)""");
            st.execute("SELECT setseed(0.42)");
            long chats = st.executeUpdate("""
                    INSERT INTO chats (created_at)
                    SELECT generate_series('2022-01-01 00:00+00'::timestamptz,
                                           '2022-01-31 00:00+00'::timestamptz - {step},
                                           {step})""".replace("{step}", step));
            long messages = st.executeUpdate("""
                    INSERT INTO chat_messages (created_at, chat_id, chat_created_at, message)
                    SELECT t, c.id, c.created_at,
                           (ARRAY['hello', 'goodbye', 'I would like a sandwich please'])[1 + floor(random() * 3)::int]
                      FROM chats c
                     CROSS JOIN LATERAL generate_series(c.created_at, c.created_at + interval '1 day',
                                                        interval '1 minute') AS t""");
            st.execute("ALTER TABLE chat_messages ADD CONSTRAINT chat_messages_chat_id_fkey"
                    + " FOREIGN KEY (chat_id) REFERENCES chats (id)");
            st.execute("CREATE INDEX ON chats (created_at)");
            st.execute("CREATE INDEX ON chat_messages (created_at)");
            st.execute("ANALYZE chats");
            st.execute("ANALYZE chat_messages");
            return new Loaded(chats, messages, (System.nanoTime() - started) / 1e9);
        }
    }

    /** {@code SELECT count(*)} of a table. */
    public static long count(DataSource dataSource, String table) throws SQLException {
        try (Connection c = dataSource.getConnection();
                Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("SELECT count(*) FROM " + table)) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
