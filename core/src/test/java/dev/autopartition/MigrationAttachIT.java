package dev.autopartition;

import static org.assertj.core.api.Assertions.assertThat;

import dev.autopartition.testing.ChatWorkload;
import dev.autopartition.testing.PostgresExtension;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The zero-copy strategy: the original becomes one legacy partition, the cutover is metadata only. */
class MigrationAttachIT {
    @RegisterExtension
    static final PostgresExtension pg = new PostgresExtension();

    private static AutoPartition engine() {
        return AutoPartition.configure(pg.dataSource())
                .clock(new Fixtures.MovableClock("2022-01-31T12:00:00Z"))
                .build();
    }

    private static MigrationSpec.Builder attach(String table) {
        return MigrationSpec.builder(AutoPartitionSpec.builder(TableName.of(table), "created_at")
                        .increment("1 day")
                        .maximumAdvancePartitions(3)
                        .build())
                .strategy(MigrationStrategy.ATTACH);
    }

    @Test
    void attachesTheOriginalAsALegacyPartitionUndoesAndFinalizes() throws Exception {
        ChatWorkload.load(pg, "z_", 0.02);
        long maxId = Fixtures.number(pg, "SELECT max(id) FROM z_chat_messages");
        AutoPartition ap = engine();
        TableName table = TableName.of("z_chat_messages");
        AtomicBoolean stop = new AtomicBoolean();
        ChatWorkload.Writer writer = new ChatWorkload.Writer(pg, "z_", maxId, stop);
        Thread writing = new Thread(writer);
        writing.start();
        MigrationStatus status =
                ap.migrateToPartitioned(attach("z_chat_messages").build());
        stop.set(true);
        writing.join();

        assertThat(status.phase()).isEqualTo(MigrationPhase.CUT_OVER);
        assertThat(status.rowsCopied()).as("zero copy").isZero();
        java.util.List<String> partitions = Fixtures.partitions(pg, "z_chat_messages");
        assertThat(partitions.get(0))
                .as("the cut lies two days past the newest key the writers wrote (the 1st of February at most)")
                .isIn(
                        "z_chat_messages_legacy: FOR VALUES FROM (MINVALUE) TO ('2022-02-02 00:00:00+00')",
                        "z_chat_messages_legacy: FOR VALUES FROM (MINVALUE) TO ('2022-02-03 00:00:00+00')");
        assertThat(partitions).hasSize(5);
        assertThat(ChatWorkload.differences(pg, "z_chat_messages", "z_oracle")).isZero();
        assertThat(Fixtures.string(
                        pg,
                        "SELECT pg_get_constraintdef(oid) FROM pg_constraint WHERE conrelid ="
                                + " 'z_chat_messages'::regclass AND contype = 'p'"))
                .isEqualTo("PRIMARY KEY (id, created_at)");
        assertThat(Fixtures.number(pg, "SELECT count(*) FROM pg_constraint WHERE conname = 'autopartition_legacy'"))
                .isZero();
        pg.execute("INSERT INTO z_chat_messages (created_at, chat_id, chat_created_at, message)"
                + " VALUES ('2022-02-05 10:00+00', 1, '2022-01-01', 'after the cut')");
        pg.execute("INSERT INTO z_oracle SELECT * FROM z_chat_messages WHERE message = 'after the cut'");
        assertThat(Fixtures.string(
                        pg,
                        "SELECT tableoid::regclass::text FROM z_chat_messages WHERE message =" + " 'after the cut'"))
                .isEqualTo("z_chat_messages_p20220205");

        MigrationStatus undone = ap.undoMigration(table);
        assertThat(undone.message()).contains("undone");
        assertThat(Fixtures.string(pg, "SELECT relkind::text FROM pg_class WHERE relname = 'z_chat_messages'"))
                .isEqualTo("r");
        assertThat(Fixtures.string(
                        pg,
                        "SELECT pg_get_constraintdef(oid) FROM pg_constraint WHERE conrelid ="
                                + " 'z_chat_messages'::regclass AND contype = 'p'"))
                .isEqualTo("PRIMARY KEY (id)");
        assertThat(ChatWorkload.differences(pg, "z_chat_messages", "z_oracle"))
                .as("undo kept the row past the cut")
                .isZero();

        assertThat(ap.migrateToPartitioned(attach("z_chat_messages").build()).phase())
                .isEqualTo(MigrationPhase.CUT_OVER);
        assertThat(ap.finalizeMigration(table).phase()).isEqualTo(MigrationPhase.FINALIZED);
        assertThat(Fixtures.number(pg, "SELECT count(*) FROM pg_class WHERE relname LIKE '%apundo'"))
                .isZero();
        assertThat(ChatWorkload.differences(pg, "z_chat_messages", "z_oracle")).isZero();
    }

    @Test
    void abortLeavesTheOriginalAsItWas() {
        ChatWorkload.load(pg, "y_", 0.01);
        String snapshot = """
                SELECT string_agg(x, ' | ' ORDER BY x) FROM (
                  SELECT 'rel ' || relname || ' ' || relkind::text AS x FROM pg_class c
                    JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = 'public' AND relname LIKE 'y\\_%'
                  UNION ALL SELECT 'constraint ' || conname || ' ' || pg_get_constraintdef(oid) FROM pg_constraint
                   WHERE conrelid = 'y_chat_messages'::regclass) s""";
        String before = Fixtures.string(pg, snapshot);
        AutoPartition ap = engine();
        assertThat(ap.planMigration(attach("y_chat_messages").build()).toSql())
                .contains(
                        "CHECK (\"created_at\" IS NOT NULL AND \"created_at\" < '2022-02-02 00:00:00+00'::timestamptz)"
                                + " NOT VALID")
                .contains("CREATE UNIQUE INDEX CONCURRENTLY \"y_chat_messages_pkey_apwide\"")
                .contains("ATTACH PARTITION \"public\".\"y_chat_messages_legacy\" FOR VALUES FROM (MINVALUE)")
                .contains("lock: SHARE UPDATE EXCLUSIVE on \"public\".\"y_chat_messages\" (reads and writes go on;"
                        + " scans the table)");
        assertThat(ap.planMigration(attach("y_chat_messages").build()).notes())
                .as("the plan says which key the cutover drops and what that adds to its lock")
                .anySatisfy(note -> assertThat(note)
                        .containsPattern("the cutover drops \"y_chat_messages_pkey\" \\(\\d+ MB of index\\)")
                        .contains("while the cutover still holds its lock"));
        assertThat(Fixtures.string(pg, snapshot)).as("the plan changed nothing").isEqualTo(before);
        assertThat(ap.migrateToPartitioned(
                                attach("y_chat_messages").cutover(false).build())
                        .phase())
                .isEqualTo(MigrationPhase.VERIFIED);
        assertThat(ap.abortMigration(TableName.of("y_chat_messages")).phase()).isEqualTo(MigrationPhase.ABORTED);
        assertThat(Fixtures.string(pg, snapshot)).isEqualTo(before);
    }
}
