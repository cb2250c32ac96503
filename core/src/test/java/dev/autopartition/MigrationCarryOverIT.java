package dev.autopartition;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.autopartition.testing.ChatWorkload;
import dev.autopartition.testing.PostgresExtension;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** What a migration carries over, what it refuses, and its cutover next to a long-running reader. */
class MigrationCarryOverIT {
    @RegisterExtension
    static final PostgresExtension pg = new PostgresExtension();

    private static AutoPartition engine() {
        return AutoPartition.configure(pg.dataSource())
                .clock(new Fixtures.MovableClock("2022-01-31T12:00:00Z"))
                .build();
    }

    private static AutoPartitionSpec.Builder daily(String schema, String table) {
        return AutoPartitionSpec.builder(TableName.of(schema, table), "created_at")
                .increment("1 day")
                .maximumAdvancePartitions(2);
    }

    @Test
    void chatsFirstThenMessagesWithTheForeignKeyWidenedByTheColumnThatCarriesTheKey() {
        ChatWorkload.load(pg, "f_", 0.02);
        AutoPartition ap = engine();
        MigrationSpec chats =
                MigrationSpec.builder(daily("public", "f_chats").build()).build();
        assertThatThrownBy(() -> ap.planMigration(chats))
                .isInstanceOf(InvalidSpecException.class)
                .hasMessageContaining("foreign key \"f_chat_messages_chat_id_fkey\" of \"public\".\"f_chat_messages\"")
                .hasMessageContaining("foreignKeyKeyColumn(\"f_chat_messages_chat_id_fkey\", column)");

        MigrationSpec widened = MigrationSpec.builder(daily("public", "f_chats").build())
                .foreignKeyKeyColumn("f_chat_messages_chat_id_fkey", "chat_created_at")
                .build();
        Plan plan = ap.planMigration(widened);
        assertThat(plan.toSql())
                .contains("FOREIGN KEY (\"chat_id\", \"chat_created_at\") REFERENCES \"public\".\"f_chats\" (\"id\","
                        + " \"created_at\") NOT VALID")
                .contains("lock: ACCESS EXCLUSIVE on \"public\".\"f_chats\", for at most 300 ms per attempt");
        assertThat(ap.migrateToPartitioned(widened).phase()).isEqualTo(MigrationPhase.CUT_OVER);
        assertThat(Fixtures.string(
                        pg,
                        "SELECT pg_get_constraintdef(oid) || ' ' || convalidated::text"
                                + " FROM pg_constraint WHERE conname = 'f_chat_messages_chat_id_fkey'"))
                .isEqualTo("FOREIGN KEY (chat_id, chat_created_at) REFERENCES f_chats(id, created_at) true");

        MigrationStatus messages = ap.migrateToPartitioned(
                MigrationSpec.builder(daily("public", "f_chat_messages").build())
                        .build());
        assertThat(messages.phase()).isEqualTo(MigrationPhase.CUT_OVER);
        assertThat(Fixtures.number(
                        pg,
                        "SELECT count(*) FROM f_chat_messages m JOIN f_chats c ON c.id = m.chat_id"
                                + " AND c.created_at = m.chat_created_at"))
                .as("every message still finds its chat through the widened key")
                .isEqualTo(Fixtures.number(pg, "SELECT count(*) FROM f_oracle"));
        assertThatThrownBy(() -> pg.execute("INSERT INTO f_chat_messages (created_at, chat_id, chat_created_at,"
                        + " message) VALUES ('2022-01-31 10:00+00', 1, '1999-01-01', 'orphan')"))
                .as("the partitioned messages table keeps its outbound foreign key")
                .hasMessageContaining("violates foreign key constraint");
        pg.execute("INSERT INTO f_chats (created_at) VALUES ('2022-01-31 11:00+00')");
        assertThat(Fixtures.number(pg, "SELECT max(id) FROM f_chats"))
                .as("no id reused")
                .isEqualTo(Fixtures.number(pg, "SELECT count(*) FROM f_chats"));
    }

    @Test
    void carriesOverKeysIdentityViewsGrantsPoliciesTriggersAndToast() {
        boolean identity = pg.majorVersion() >= 17;
        if (!identity) {
            pg.execute("CREATE TABLE ident (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,"
                    + " created_at timestamptz NOT NULL)");
            assertThatThrownBy(() -> engine().planMigration(MigrationSpec.builder(
                                    daily("public", "ident").build())
                            .build()))
                    .isInstanceOf(InvalidSpecException.class)
                    .hasMessageContaining(
                            "identity column \"id\" is not allowed on a partitioned table before" + " PostgreSQL 17");
        }
        pg.execute(
                "CREATE ROLE \"app reader\"",
                "CREATE SCHEMA \"Ödd Schema\"",
                """
                CREATE TABLE "Ödd Schema"."Order Lines" (
                  "Tenant" int NOT NULL,
                  line {line},
                  created_at timestamptz NOT NULL,
                  body text NOT NULL,
                  total numeric CHECK (total >= 0),
                  PRIMARY KEY ("Tenant", line))""".replace("{line}", identity ? "bigint GENERATED BY DEFAULT AS IDENTITY" : "bigserial"),
                "CREATE INDEX lines_body_idx ON \"Ödd Schema\".\"Order Lines\" (\"Tenant\", created_at)",
                "CREATE TABLE \"Ödd Schema\".audit (line bigint, what text)",
                """
                CREATE FUNCTION "Ödd Schema".audit() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN INSERT INTO "Ödd Schema".audit VALUES (NEW.line, TG_OP); RETURN NEW; END $$""",
                "CREATE TRIGGER audit_lines AFTER INSERT ON \"Ödd Schema\".\"Order Lines\" FOR EACH ROW"
                        + " EXECUTE FUNCTION \"Ödd Schema\".audit()",
                "CREATE VIEW \"Ödd Schema\".recent AS SELECT \"Tenant\", line, created_at FROM \"Ödd Schema\"."
                        + "\"Order Lines\" WHERE created_at > '2022-01-20'",
                "GRANT SELECT ON \"Ödd Schema\".\"Order Lines\" TO \"app reader\"",
                "ALTER TABLE \"Ödd Schema\".\"Order Lines\" ENABLE ROW LEVEL SECURITY",
                "CREATE POLICY tenant_one ON \"Ödd Schema\".\"Order Lines\" FOR SELECT TO \"app reader\""
                        + " USING (\"Tenant\" = 1)",
                "COMMENT ON TABLE \"Ödd Schema\".\"Order Lines\" IS 'lines of orders'",
                "INSERT INTO \"Ödd Schema\".\"Order Lines\" (\"Tenant\", created_at, body, total)"
                        + " SELECT i % 3, '2022-01-01'::timestamptz + i * interval '1 hour', repeat(md5(i::text), 500),"
                        + " i FROM generate_series(1, 700) i");
        String table = "\"Ödd Schema\".\"Order Lines\"";
        String before = Fixtures.string(
                pg, "SELECT md5(string_agg(t::text, ',' ORDER BY \"Tenant\", line)) FROM " + table + " t");
        long audited = Fixtures.number(pg, "SELECT count(*) FROM \"Ödd Schema\".audit");
        AutoPartition ap = engine();
        MigrationStatus status = ap.migrateToPartitioned(
                MigrationSpec.builder(daily("Ödd Schema", "Order Lines").build())
                        .batchSize(100)
                        .build());

        assertThat(status.phase()).isEqualTo(MigrationPhase.CUT_OVER);
        assertThat(Fixtures.string(
                        pg, "SELECT md5(string_agg(t::text, ',' ORDER BY \"Tenant\", line)) FROM " + table + " t"))
                .as("every row, TOAST-sized bodies included")
                .isEqualTo(before);
        assertThat(Fixtures.number(pg, "SELECT count(*) FROM \"Ödd Schema\".audit"))
                .as("no trigger fired by the copy")
                .isEqualTo(audited);
        pg.execute("INSERT INTO " + table + " (\"Tenant\", created_at, body) VALUES (1, '2022-01-31 09:00+00', 'x')");
        assertThat(Fixtures.number(pg, "SELECT count(*) FROM \"Ödd Schema\".audit"))
                .as("the user trigger moved over")
                .isEqualTo(audited + 1);
        assertThat(Fixtures.number(pg, "SELECT max(line) FROM " + table))
                .as("the identity (or sequence) carries on")
                .isEqualTo(701);
        assertThat(Fixtures.strings(
                        pg,
                        "SELECT pg_get_constraintdef(oid) FROM pg_constraint WHERE conrelid = '"
                                + table.replace("'", "''") + "'::regclass AND contype IN ('p', 'c') ORDER BY 1"))
                .containsExactly("CHECK ((total >= (0)::numeric))", "PRIMARY KEY (\"Tenant\", line, created_at)");
        assertThat(Fixtures.string(
                        pg,
                        "SELECT relkind::text FROM pg_class WHERE oid = (SELECT DISTINCT refobjid FROM"
                                + " pg_depend d JOIN pg_rewrite r ON r.oid = d.objid WHERE r.ev_class ="
                                + " '\"Ödd Schema\".recent'::regclass AND refobjid <> r.ev_class)"))
                .as("the view reads the partitioned table")
                .isEqualTo("p");
        assertThat(Fixtures.number(pg, "SELECT count(*) FROM \"Ödd Schema\".recent"))
                .isGreaterThan(0);
        assertThat(Fixtures.string(
                        pg,
                        "SELECT has_table_privilege('app reader', '" + table.replace("'", "''")
                                + "', 'SELECT')::text || ' ' || relrowsecurity::text || ' ' || obj_description(oid, 'pg_class')"
                                + " FROM pg_class WHERE oid = '" + table.replace("'", "''") + "'::regclass"))
                .isEqualTo("true true lines of orders");
        assertThat(Fixtures.strings(
                        pg,
                        "SELECT polname FROM pg_policy WHERE polrelid = '" + table.replace("'", "''") + "'::regclass"))
                .containsExactly("tenant_one");
        assertThat(Fixtures.string(
                        pg,
                        "SELECT indexrelid::regclass::text FROM pg_index WHERE indrelid = '" + table.replace("'", "''")
                                + "'::regclass AND NOT indisunique"))
                .as("indexes keep their names")
                .isEqualTo("\"Ödd Schema\".lines_body_idx");
    }

    @Test
    void theCutoverRetriesBehindALongReaderAndNeverMakesTheApplicationWaitLongerThanItsTimeout() throws Exception {
        ChatWorkload.load(pg, "r_", 0.01);
        AutoPartition ap = engine();
        TableName table = TableName.of("r_chat_messages");
        MigrationSpec spec = MigrationSpec.builder(
                        daily("public", "r_chat_messages").build())
                .cutoverLockTimeout(Duration.ofMillis(100))
                .cutoverAttempts(40)
                .build();
        // the knobs' pace: this test counts cutover attempts within the reader's 1.5 s, and a paced catch-up before
        // each attempt (one worker while the pacer ramps up) leaves room for fewer of them
        assertThat(ap.migrateToPartitioned(MigrationSpec.builder(spec.partitioning())
                                .cutover(false)
                                .pacing(false)
                                .build())
                        .phase())
                .isEqualTo(MigrationPhase.VERIFIED);

        AtomicBoolean stop = new AtomicBoolean();
        ChatWorkload.Writer writer = new ChatWorkload.Writer(pg, "r_", 1000, stop);
        Thread writing = new Thread(writer);
        Thread reading = new Thread(() -> {
            try (Connection reader = pg.connection();
                    Statement st = reader.createStatement()) {
                reader.setAutoCommit(false);
                st.executeQuery("SELECT count(*) FROM r_chat_messages").close();
                Thread.sleep(1500);
                reader.commit();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        reading.start();
        Thread.sleep(200);
        writing.start();
        MigrationStatus status = ap.cutover(table);
        reading.join();
        stop.set(true);
        writing.join();

        assertThat(status.phase()).isEqualTo(MigrationPhase.CUT_OVER);
        assertThat(status.cutoverAttempts())
                .as("attempts that gave up while the reader held its lock")
                .isGreaterThan(1);
        assertThat(status.cutoverLockMillis())
                .as("lock hold of the successful attempt, in ms")
                .isNotNull();
        assertThat(Duration.ofNanos(writer.slowestNanos))
                .as("the application never waited much longer than one attempt's lock timeout")
                .isLessThan(Duration.ofMillis(100).plusMillis(900));
        assertThat(ChatWorkload.differences(pg, "r_chat_messages", "r_oracle")).isZero();
        System.out.printf(
                java.util.Locale.ROOT,
                "cutover behind a 1.5 s reader: %d attempts, lock held %.1f ms," + " slowest write %.1f ms%n",
                status.cutoverAttempts(),
                status.cutoverLockMillis(),
                writer.slowestNanos / 1e6);
    }
}
