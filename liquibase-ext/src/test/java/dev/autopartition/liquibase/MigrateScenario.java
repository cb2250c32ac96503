package dev.autopartition.liquibase;

import static org.assertj.core.api.Assertions.assertThat;

import dev.autopartition.testing.TestDatabase;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The workload's {@code chats} (its inbound foreign key widened by {@code chat_created_at}), then {@code
 * chat_messages}, migrated online by {@code migrateToPartitioned} change sets of one format (the subclasses: XML,
 * YAML) while a writer inserts messages: {@code update-sql}, {@code update}, a second {@code update} that only
 * maintains, {@code rollback-count-sql} and {@code rollback-count} back to the plain tables with every row, and a
 * last {@code update} that migrates them again from the start.
 */
abstract class MigrateScenario {
    static final String NOW = "2022-01-31T12:00:00Z";

    /** The same in XML, YAML and JSON; tuning attributes are not part of them. */
    static final Map<String, String> CHECKSUMS = Map.of(
            "chats-partitioned", "9:12d9c990abeee9dc59fa18e49d02ce70",
            "chat-messages-partitioned", "9:b2feb231c630c499cbe291c11e6c5c88",
            "maintain", "9:22da1340cffd46db8ff8740b385ab436");

    abstract TestDatabase database();

    abstract String format();

    String changelog() {
        return "changelogs/migrate/chat." + format();
    }

    @Test
    void migratesChatsThenMessagesWhileAWriterInsertsThenRollsBackAndMigratesAgain() throws Exception {
        ChatWorkload.load(database(), 0.02);
        Db db = new Db(database());
        Lb lb = new Lb(database()).now(NOW);
        String plain = db.snapshot();
        long messages = count(db, "chat_messages");

        // update-sql: the plan of chats with every statement and its lock; chat_messages waits for chats' change set
        String sql = lb.updateSql(changelog());
        assertThat(sql)
                .contains("-- autopartition: migrateToPartitioned of \"public\".\"chats\" on created_at by 1 day")
                .contains("-- Runs outside a transaction: the engine commits each step")
                .contains("-- prepare: create \"public\".\"chats_autopartition_new\" partitioned by range"
                        + " (\"created_at\")")
                .contains("-- backfill partition chats_p20220101 [2022-01-01")
                .contains("FOREIGN KEY (\"chat_id\", \"chat_created_at\") REFERENCES \"public\".\"chats\" (\"id\","
                        + " \"created_at\") NOT VALID")
                .contains("--   lock: ACCESS EXCLUSIVE on \"public\".\"chats\", for at most 300 ms per attempt,"
                        + " retried up to 20 times")
                .contains("-- autopartition: migrateToPartitioned of \"public\".\"chat_messages\" on created_at by 1"
                        + " day\n-- Not planned here: migrateToPartitioned in change set " + changelog()
                        + "::chats-partitioned::carol\n");
        assertThat(db.snapshot()).as("update-sql changes nothing").isEqualTo(plain);

        ChatWorkload.Writer writer = new ChatWorkload.Writer(database(), count(db, "chats")).start();
        Thread.sleep(200);
        lb.update(changelog());
        Thread.sleep(200);
        List<String> written = writer.stop();

        assertThat(written).as("the writer wrote during the migration").hasSizeGreaterThan(50);
        assertThat(writer.failed).as("no insert failed").hasValue(0);
        assertThat(db.partitionKey("chats")).isEqualTo("RANGE (created_at)");
        assertThat(db.partitionKey("chat_messages")).isEqualTo("RANGE (created_at)");
        assertThat(db.partitionNames("chats"))
                .as("a partition per day of the data, and 3 ahead of the clock")
                .hasSize(34)
                .startsWith("chats_p20220101")
                .endsWith("chats_p20220202", "chats_p20220203");
        assertThat(db.partitionNames("chat_messages")).hasSize(34).endsWith("chat_messages_p20220203");
        assertThat(count(db, "chat_messages"))
                .as("every row, those of the writer too")
                .isEqualTo(messages + written.size());
        assertThat(db.rows("SELECT id || '|' || message FROM chat_messages WHERE message LIKE 'written%'"))
                .as("each row the writer committed is there, once")
                .containsExactlyInAnyOrderElementsOf(written);
        assertThat(db.rows("SELECT pg_get_constraintdef(oid) || ' ' || convalidated::text FROM pg_constraint"
                        + " WHERE conname = 'chat_messages_chat_id_fkey' AND conrelid = 'chat_messages'::regclass"))
                .as("the foreign key is widened and validated")
                .containsExactly("FOREIGN KEY (chat_id, chat_created_at) REFERENCES chats(id, created_at) true");
        assertThat(db.rules())
                .as("both tables are registered with the rule of their change set")
                .containsExactly(
                        "chat_messages | created_at | 1 day | UTC | null | 2 | 3 | 30 days | drop | null | f | null"
                                + " | t",
                        "chats | created_at | 1 day | UTC | null | 2 | 3 | 30 days | drop | null | f | null | t");
        assertThat(db.exists("public", "chat_messages_retired"))
                .as("the original is kept for an undo")
                .isTrue();
        Map<String, String> history = db.history();
        CHECKSUMS.forEach((id, checksum) ->
                assertThat(history.get(id)).as("checksum of " + id).isEqualTo(checksum + " EXECUTED"));

        // a second update: the migrations are recorded, only maintenance runs, and it has nothing to do
        String migrated = db.snapshot().replace("EXECUTED}", "");
        lb.update(changelog());
        assertThat(db.history().get("maintain")).endsWith(" RERAN");
        assertThat(db.snapshot().replace("RERAN}", "")).isEqualTo(migrated);

        // rollback: chat_messages, then chats, back to the plain tables with every row
        db.execute("INSERT INTO chat_messages (created_at, chat_id, chat_created_at, message) SELECT"
                + " '2022-01-31 13:00+00', id, created_at, 'after the cutover' FROM chats WHERE id = 1");
        String rollbackSql = lb.rollbackCountSql(changelog(), 3);
        assertThat(rollbackSql)
                .contains("-- autopartition: rollback of migrateToPartitioned of \"public\".\"chat_messages\"")
                .contains("-- Now: \"public\".\"chat_messages\": CUT_OVER (COPY)")
                .contains("then drop the migration's helpers (abortMigration)");
        lb.rollbackCount(changelog(), 3);
        assertThat(db.partitionKey("chats")).isEqualTo("none");
        assertThat(db.partitionKey("chat_messages")).isEqualTo("none");
        assertThat(count(db, "chat_messages"))
                .as("the rows written after the cutover are kept by the undo")
                .isEqualTo(messages + written.size() + 1);
        assertThat(db.rows("SELECT pg_get_constraintdef(oid) FROM pg_constraint"
                        + " WHERE conname = 'chat_messages_chat_id_fkey' AND conrelid = 'chat_messages'::regclass"))
                .as("the foreign key is back")
                .containsExactly("FOREIGN KEY (chat_id) REFERENCES chats(id)");
        assertThat(db.relations())
                .as("no helper is left")
                .noneMatch(r -> r.contains("_retired") || r.contains("_autopartition_new") || r.contains("_p2022"));
        assertThat(db.rules()).as("no rule is left").isEmpty();
        assertThat(db.history()).as("history").isEmpty();

        // and the change sets migrate them again
        lb.update(changelog());
        assertThat(db.partitionKey("chat_messages")).isEqualTo("RANGE (created_at)");
        assertThat(count(db, "chat_messages")).isEqualTo(messages + written.size() + 1);
    }

    static long count(Db db, String table) {
        return Long.parseLong(db.rows("SELECT count(*) FROM " + table).get(0));
    }
}
