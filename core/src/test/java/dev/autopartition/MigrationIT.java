package dev.autopartition;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.autopartition.testing.ChatWorkload;
import dev.autopartition.testing.PostgresExtension;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Online migration of the reference workload while writers insert, update (also the key) and delete. */
class MigrationIT {
    @RegisterExtension
    static final PostgresExtension pg = new PostgresExtension();

    private static AutoPartition engine() {
        return AutoPartition.configure(pg.dataSource())
                .clock(new Fixtures.MovableClock("2022-01-31T12:00:00Z"))
                .build();
    }

    private static MigrationSpec.Builder spec(String table) {
        return MigrationSpec.builder(AutoPartitionSpec.builder(TableName.of(table), "created_at")
                        .increment("1 day")
                        .maximumAdvancePartitions(3)
                        .build())
                .batchSize(2_000);
    }

    @Test
    void migratesUnderConcurrentWritesUndoesAndFinalizesWithoutLosingARow() throws Exception {
        ChatWorkload.load(pg, "w_", 0.05);
        long maxId = Fixtures.number(pg, "SELECT max(id) FROM w_chat_messages");
        AutoPartition ap = engine();
        TableName table = TableName.of("w_chat_messages");

        AtomicBoolean stop = new AtomicBoolean();
        List<ChatWorkload.Writer> writers = new ArrayList<>();
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            ChatWorkload.Writer writer = new ChatWorkload.Writer(pg, "w_", maxId, stop);
            writers.add(writer);
            Thread thread = new Thread(writer);
            threads.add(thread);
            thread.start();
        }
        MigrationStatus status = ap.migrateToPartitioned(spec("w_chat_messages").build());
        Thread.sleep(300); // writes after the cutover go to the partitioned table
        stop.set(true);
        for (Thread thread : threads) {
            thread.join();
        }

        assertThat(status.phase()).isEqualTo(MigrationPhase.CUT_OVER);
        assertThat(status.cutoverLockMillis())
                .as("the cutover's lock hold is measured")
                .isNotNull();
        assertThat(writers.stream().mapToInt(w -> w.committed.get()).sum())
                .as("writers did work")
                .isGreaterThan(100);
        assertThat(Fixtures.string(pg, "SELECT relkind::text FROM pg_class WHERE relname = 'w_chat_messages'"))
                .isEqualTo("p");
        assertThat(ChatWorkload.differences(pg, "w_chat_messages", "w_oracle"))
                .as("rows missing, extra or different")
                .isZero();
        assertThat(Fixtures.number(
                        pg,
                        "SELECT count(*) FROM w_chat_messages WHERE tableoid::regclass::text <>"
                                + " 'w_chat_messages_p' || to_char(created_at AT TIME ZONE 'UTC', 'YYYYMMDD')"))
                .as("rows outside their day's partition")
                .isZero();
        pg.execute("INSERT INTO w_chat_messages (created_at, chat_id, chat_created_at, message)"
                + " VALUES ('2022-01-31 13:00+00', 1, '2022-01-01 00:00+00', 'after')");
        assertThat(Fixtures.number(pg, "SELECT max(id) FROM w_chat_messages WHERE message = 'after'"))
                .as("the sequence carries on past every id handed out before")
                .isGreaterThan(Fixtures.number(pg, "SELECT max(id) FROM w_oracle"));
        pg.execute("INSERT INTO w_oracle SELECT * FROM w_chat_messages WHERE message = 'after'");
        assertThat(Fixtures.strings(pg, "SELECT table_name FROM autopartition.managed_table"))
                .as("registered for maintenance")
                .contains("w_chat_messages");

        // undo with writes in between: the original takes over again, with every row
        pg.execute(
                "UPDATE w_chat_messages SET message = 'changed after cutover' WHERE id % 97 = 0",
                "UPDATE w_oracle SET message = 'changed after cutover' WHERE id % 97 = 0",
                "DELETE FROM w_chat_messages WHERE id % 89 = 0",
                "DELETE FROM w_oracle WHERE id % 89 = 0");
        MigrationStatus undone = ap.undoMigration(table);
        assertThat(undone.phase()).isEqualTo(MigrationPhase.VERIFIED);
        assertThat(Fixtures.string(pg, "SELECT relkind::text FROM pg_class WHERE relname = 'w_chat_messages'"))
                .isEqualTo("r");
        assertThat(ChatWorkload.differences(pg, "w_chat_messages", "w_oracle"))
                .as("undo lost nothing")
                .isZero();
        assertThat(Fixtures.strings(pg, "SELECT table_name FROM autopartition.managed_table"))
                .doesNotContain("w_chat_messages");

        // cut over again, then finalize
        pg.execute("DELETE FROM w_chat_messages WHERE id % 83 = 0", "DELETE FROM w_oracle WHERE id % 83 = 0");
        assertThat(ap.migrateToPartitioned(spec("w_chat_messages").build()).phase())
                .isEqualTo(MigrationPhase.CUT_OVER);
        assertThat(ChatWorkload.differences(pg, "w_chat_messages", "w_oracle")).isZero();
        MigrationStatus finalized = ap.finalizeMigration(table);
        assertThat(finalized.phase()).isEqualTo(MigrationPhase.FINALIZED);
        assertThat(Fixtures.number(
                        pg,
                        "SELECT count(*) FROM pg_class WHERE relname LIKE 'w_chat_messages_retired%'"
                                + " OR relname LIKE 'w_chat_messages_autopartition%'"))
                .as("the original and the helpers are gone")
                .isZero();
        assertThat(
                        Fixtures.number(
                                pg,
                                "SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid ="
                                        + " c.relnamespace WHERE n.nspname = 'autopartition' AND c.relname LIKE 'migration\\_%log'"))
                .isZero();
        assertThat(ChatWorkload.differences(pg, "w_chat_messages", "w_oracle")).isZero();
        assertThatThrownBy(() -> ap.undoMigration(table))
                .isInstanceOf(InvalidSpecException.class)
                .hasMessageContaining("No migration of");
    }

    @Test
    void verificationFindsAndRepairsRowsChangedBehindTheCaptureTrigger() {
        ChatWorkload.load(pg, "v_", 0.01);
        AutoPartition ap = engine();
        TableName table = TableName.of("v_chat_messages");
        assertThat(ap.migrateToPartitioned(
                                spec("v_chat_messages").cutover(false).build())
                        .phase())
                .isEqualTo(MigrationPhase.VERIFIED);
        // writes the trigger does not see (replica mode skips triggers), then back to before verification,
        // as if the process had stopped right after the backfill
        pg.execute(
                "SET session_replication_role = replica",
                "UPDATE v_chat_messages SET message = 'drift' WHERE id % 50 = 0",
                "DELETE FROM v_chat_messages WHERE id % 77 = 0",
                "SET session_replication_role = origin",
                "UPDATE autopartition.migration SET phase = 'BACKFILLED' WHERE table_name = 'v_chat_messages'");
        long drifted = Fixtures.number(pg, "SELECT count(*) FROM v_chat_messages WHERE message = 'drift'");
        assertThat(drifted).as("rows changed behind the trigger").isGreaterThan(10);
        pg.execute("CREATE TABLE v_expected AS SELECT * FROM v_chat_messages");

        assertThat(ap.migrateToPartitioned(spec("v_chat_messages").build()).phase())
                .isEqualTo(MigrationPhase.CUT_OVER);
        assertThat(ChatWorkload.differences(pg, "v_chat_messages", "v_expected"))
                .as("rows missing, extra or different after the repair")
                .isZero();
        assertThat(Fixtures.number(pg, "SELECT count(*) FROM v_chat_messages WHERE message = 'drift'"))
                .isEqualTo(drifted);
        assertThat(ap.migrationStatus(table)).isPresent();
    }

    @Test
    void aRerunAfterAKillBetweenIndexingAndAttachingAdoptsTheIndexesItBuilt() {
        ChatWorkload.load(pg, "i_", 0.01);
        AutoPartition ap = engine();
        assertThat(ap.migrateToPartitioned(
                                spec("i_chat_messages").cutover(false).build())
                        .phase())
                .isEqualTo(MigrationPhase.VERIFIED);
        String partition = "i_chat_messages_p20220115";
        String indexes = "SELECT count(*) FROM pg_index WHERE indrelid = '" + partition + "'::regclass";
        String adopted = "SELECT count(*) FROM pg_index i JOIN pg_inherits h ON h.inhrelid = i.indexrelid"
                + " WHERE i.indrelid = '" + partition + "'::regclass";
        long built = Fixtures.number(pg, indexes);
        assertThat(built)
                .as("the parent's primary key and index")
                .isEqualTo(2)
                .isEqualTo(Fixtures.number(
                        pg,
                        "SELECT count(*) FROM pg_index WHERE indrelid ="
                                + " 'i_chat_messages_autopartition_new'::regclass"));
        // what a kill leaves after the index build and before the attach: a loaded, indexed, bounds-checked table
        pg.execute(
                "ALTER TABLE i_chat_messages_autopartition_new DETACH PARTITION " + partition,
                "ALTER TABLE " + partition + " ADD CONSTRAINT autopartition_bounds CHECK (created_at >= '2022-01-15'"
                        + " AND created_at < '2022-01-16')",
                "UPDATE autopartition.migration_partition SET state = 'loading', cursor_values ="
                        + " ARRAY[upper_bound::text] WHERE partition_name = '" + partition + "'",
                "UPDATE autopartition.migration SET phase = 'PREPARED' WHERE table_name = 'i_chat_messages'",
                "CREATE TABLE i_expected AS SELECT * FROM i_chat_messages");
        assertThat(Fixtures.number(pg, adopted)).as("detached").isZero();

        assertThat(ap.migrateToPartitioned(spec("i_chat_messages").build()).phase())
                .isEqualTo(MigrationPhase.CUT_OVER);
        assertThat(Fixtures.number(pg, indexes)).as("no second set built").isEqualTo(built);
        assertThat(Fixtures.number(pg, adopted))
                .as("every one adopted by the parent's")
                .isEqualTo(built);
        assertThat(ChatWorkload.differences(pg, "i_chat_messages", "i_expected"))
                .as("rows missing, extra or different")
                .isZero();
    }

    @Test
    void abortBeforeCutoverLeavesTheOriginalExactlyAsItWas() {
        ChatWorkload.load(pg, "a_", 0.01);
        String snapshot = """
                SELECT string_agg(x, ' | ' ORDER BY x) FROM (
                  SELECT 'rel ' || relname || ' ' || relkind::text AS x FROM pg_class c
                    JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = 'public' AND relname LIKE 'a\\_%'
                  UNION ALL SELECT 'trigger ' || tgname FROM pg_trigger WHERE tgrelid = 'a_chat_messages'::regclass
                  UNION ALL SELECT 'constraint ' || conname || ' ' || pg_get_constraintdef(oid) FROM pg_constraint
                   WHERE conrelid = 'a_chat_messages'::regclass
                  UNION ALL SELECT 'count ' || count(*) FROM a_chat_messages) s""";
        String before = Fixtures.string(pg, snapshot);
        AutoPartition ap = engine();
        MigrationStatus verified =
                ap.migrateToPartitioned(spec("a_chat_messages").cutover(false).build());
        assertThat(verified.phase()).isEqualTo(MigrationPhase.VERIFIED);
        assertThat(verified.partitionsAttached())
                .isEqualTo(verified.partitions())
                .isEqualTo(34);
        assertThat(Fixtures.number(
                        pg,
                        "SELECT count(*) FROM pg_trigger WHERE tgrelid = 'a_chat_messages'::regclass"
                                + " AND tgname LIKE 'autopartition%'"))
                .as("capture and truncate guard while migrating")
                .isEqualTo(2);
        assertThatThrownBy(() -> pg.execute("TRUNCATE a_chat_messages"))
                .hasMessageContaining("is being migrated to a partitioned table");

        MigrationStatus aborted = ap.abortMigration(TableName.of("a_chat_messages"));
        assertThat(aborted.phase()).isEqualTo(MigrationPhase.ABORTED);
        assertThat(Fixtures.string(pg, snapshot))
                .as("relations, triggers, constraints and rows")
                .isEqualTo(before);
        assertThat(ap.migrationStatus(TableName.of("a_chat_messages"))
                        .orElseThrow()
                        .phase())
                .isEqualTo(MigrationPhase.ABORTED);
    }
}
