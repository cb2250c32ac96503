package dev.autopartition.flyway;

import static org.assertj.core.api.Assertions.assertThat;

import dev.autopartition.AutoPartition;
import dev.autopartition.MigrationPhase;
import dev.autopartition.MigrationStatus;
import dev.autopartition.TableName;
import dev.autopartition.testing.ChatWorkload;
import dev.autopartition.testing.PostgresExtension;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.MigrationInfo;
import org.flywaydb.core.api.MigrationState;
import org.flywaydb.core.api.output.MigrateResult;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code flyway migrate} moves the workload's chats (foreign key widened with chat_created_at) and then chat_messages
 * to daily partitions while writers insert, update and delete messages, under Flyway's default transactional lock.
 */
class MigrateToPartitionedIT {
    @RegisterExtension
    static final PostgresExtension pg = new PostgresExtension();

    private static final String NOW = "2022-01-31T12:00:00Z";
    private static final String LOCATION = "classpath:dev/autopartition/flyway/it/migrate/online";

    private static Flyway flyway() {
        return Db.flyway(pg, NOW, LOCATION)
                .baselineOnMigrate(true) // the tables exist already: Flyway starts after version 1
                .callbacks(new AutoPartitionCallback())
                .load();
    }

    @Test
    void migratesBothTablesOnlineWhileWritersWriteThenInfoAndValidateAgree() throws Exception {
        ChatWorkload.load(pg, "", 0.02);
        long maxId = Long.parseLong(String.valueOf(Db.string(pg, "SELECT max(id) FROM chat_messages")));
        AtomicBoolean stop = new AtomicBoolean();
        List<ChatWorkload.Writer> writers = new ArrayList<>();
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            ChatWorkload.Writer writer = new ChatWorkload.Writer(pg, "", maxId, stop);
            writers.add(writer);
            Thread thread = new Thread(writer, "writer-" + i);
            threads.add(thread);
            thread.start();
        }
        MigrateResult result;
        try {
            result = flyway().migrate();
            Thread.sleep(200); // writes after the cutover go to the partitioned tables
        } finally {
            stop.set(true);
            for (Thread thread : threads) {
                thread.join();
            }
        }

        assertThat(result.migrationsExecuted).as("V2 and V3").isEqualTo(2);
        assertThat(writers.stream().mapToInt(w -> w.committed.get()).sum())
                .as("writers did work")
                .isGreaterThan(50);
        assertThat(Db.relkind(pg, "chats")).isEqualTo("p");
        assertThat(Db.relkind(pg, "chat_messages")).isEqualTo("p");
        assertThat(ChatWorkload.differences(pg, "chat_messages", "oracle"))
                .as("rows missing, extra or different")
                .isZero();
        assertThat(Db.string(
                        pg,
                        "SELECT count(*) FROM chat_messages WHERE tableoid::regclass::text <>"
                                + " 'chat_messages_p' || to_char(created_at AT TIME ZONE 'UTC', 'YYYYMMDD')"))
                .as("rows outside their day's partition")
                .isEqualTo("0");
        assertThat(Db.string(
                        pg,
                        "SELECT pg_get_constraintdef(oid) || ' ' || convalidated::text"
                                + " FROM pg_constraint WHERE conname = 'chat_messages_chat_id_fkey'"))
                .as("the foreign key, widened with the column that carries the chat's key")
                .isEqualTo("FOREIGN KEY (chat_id, chat_created_at) REFERENCES chats(id, created_at) true");
        assertThat(Db.partitionNames(pg, "chat_messages"))
                .as("a partition a day from the first message's day, past the last one's (2022-02-01) 3 ahead")
                .startsWith("chat_messages_p20220101")
                .endsWith("chat_messages_p20220204");

        AutoPartition engine = AutoPartition.configure(pg.dataSource())
                .clock(Clock.fixed(Instant.parse(NOW), ZoneOffset.UTC))
                .build();
        for (String table : List.of("chats", "chat_messages")) {
            MigrationStatus status = engine.migrationStatus(TableName.of(table)).orElseThrow();
            assertThat(status.phase()).as(table).isEqualTo(MigrationPhase.CUT_OVER);
            assertThat(status.cutoverLockMillis())
                    .as(table + ": the cutover's lock hold")
                    .isNotNull();
        }
        assertThat(engine.plan().isEmpty())
                .as("the callback left nothing for maintenance to do")
                .isTrue();

        Flyway again = flyway();
        List<MigrationInfo> applied = Arrays.asList(again.info().applied());
        assertThat(applied)
                .extracting(m -> m.getVersion().getVersion() + " " + m.getState())
                .containsExactly(
                        "1 " + MigrationState.BASELINE, "2 " + MigrationState.SUCCESS, "3 " + MigrationState.SUCCESS);
        assertThat(applied.get(1).getChecksum())
                .as("the checksum recorded is the spec's")
                .isEqualTo(new dev.autopartition.flyway.it.migrate.online.V2__partition_chats().getChecksum());
        assertThat(again.validateWithResult().validationSuccessful).isTrue();
        assertThat(again.migrate().migrationsExecuted).as("nothing left").isZero();

        // a later release finalizes chat_messages: the original kept for an undo is dropped
        assertThat(engine.planFinalizeMigration(TableName.of("chat_messages")).toSql())
                .as("the dry run names what finalize drops")
                .contains("chat_messages_retired");
        Flyway later = Db.flyway(pg, NOW, LOCATION, "classpath:dev/autopartition/flyway/it/migrate/finalize")
                .callbacks(new AutoPartitionCallback())
                .load();
        assertThat(later.migrate().migrationsExecuted).as("V4").isEqualTo(1);
        assertThat(engine.migrationStatus(TableName.of("chat_messages"))
                        .orElseThrow()
                        .phase())
                .isEqualTo(MigrationPhase.FINALIZED);
        assertThat(Db.string(pg, "SELECT count(*) FROM pg_class WHERE relname = 'chat_messages_retired'"))
                .isEqualTo("0");
        assertThat(ChatWorkload.differences(pg, "chat_messages", "oracle"))
                .as("finalize dropped no row of the partitioned table")
                .isZero();
        assertThat(engine.planFinalizeMigration(TableName.of("chat_messages")).isEmpty())
                .as("nothing left to finalize")
                .isTrue();
    }
}
