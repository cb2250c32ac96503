package dev.autopartition;

import static org.assertj.core.api.Assertions.assertThat;

import dev.autopartition.testing.ChatWorkload;
import dev.autopartition.testing.PostgresExtension;
import java.sql.Connection;
import java.sql.Statement;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The migrating process is killed (SIGKILL, not an exception) at points in every phase, then the migration is run
 * again: it resumes, and the result equals an oracle that the concurrent writers kept in the same transactions.
 */
class MigrationCrashIT {
    @RegisterExtension
    static final PostgresExtension pg = new PostgresExtension();

    private static Process start(String table, int batchSize, int pauseMillis, String mode) throws Exception {
        return MigrationRunner.start(pg, table, batchSize, pauseMillis, mode, table + "-runner.log");
    }

    private static void killWhen(Process process, BooleanSupplier condition) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
        while (!condition.getAsBoolean()) {
            assertThat(process.isAlive())
                    .as("the runner is still working when we kill it")
                    .isTrue();
            assertThat(System.nanoTime()).as("the kill point came in time").isLessThan(deadline);
            Thread.sleep(5);
        }
        process.destroyForcibly(); // SIGKILL
        assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
    }

    private static String phase(String table) {
        String phase = Fixtures.string(
                pg,
                "SELECT phase FROM autopartition.migration WHERE table_name = '" + table + "' AND finished_at IS NULL");
        return phase == null ? "" : phase;
    }

    private static long attached(String table) {
        return Fixtures.number(
                pg,
                "SELECT count(*) FROM autopartition.migration_partition p JOIN"
                        + " autopartition.migration m ON m.id = p.migration_id WHERE m.table_name = '" + table
                        + "' AND p.state = 'attached'");
    }

    private static long copied(String table) {
        return Fixtures.number(
                pg,
                "SELECT coalesce(max(rows_copied), 0) FROM autopartition.migration WHERE table_name" + " = '" + table
                        + "'");
    }

    @Test
    void resumesAfterAKillInEveryPhase() throws Exception {
        List<String> prefixes = List.of("k1_", "k2_", "k3_", "k4_");
        for (String prefix : prefixes) {
            ChatWorkload.load(pg, prefix, 0.05);
        }
        AutoPartition.configure(pg.dataSource()).build().maintain(); // installs the catalog the polls read
        AtomicBoolean stop = new AtomicBoolean();
        Thread[] writers = new Thread[prefixes.size()];
        for (int i = 0; i < prefixes.size(); i++) {
            long maxId = Fixtures.number(pg, "SELECT max(id) FROM " + prefixes.get(i) + "chat_messages");
            writers[i] = new Thread(new ChatWorkload.Writer(pg, prefixes.get(i), maxId, stop));
            writers[i].start();
        }
        try {
            // 1: killed right after prepare, before any partition is loaded
            Process p1 = start("k1_chat_messages", 200, 20, "stop");
            killWhen(p1, () -> phase("k1_chat_messages").equals("PREPARED") && copied("k1_chat_messages") > 0);
            // 2: killed in the middle of the backfill, with partitions attached and one half loaded
            Process p2 = start("k2_chat_messages", 200, 20, "stop");
            killWhen(p2, () -> attached("k2_chat_messages") >= 10);
            // 3: killed after the backfill, while catching up and verifying
            Process p3 = start("k3_chat_messages", 5000, 0, "stop");
            killWhen(p3, () -> phase("k3_chat_messages").equals("BACKFILLED"));
            // 4: killed during the cutover, while it retries behind a reader
            String[] status4 = new String[1];
            try (Connection reader = pg.connection();
                    Statement st = reader.createStatement()) {
                reader.setAutoCommit(false);
                st.executeQuery("SELECT count(*) FROM k4_chat_messages").close();
                Process p4 = start("k4_chat_messages", 5000, 0, "cutover");
                killWhen(
                        p4,
                        () -> Fixtures.number(
                                        pg,
                                        "SELECT coalesce(max(cutover_attempts), 0) FROM"
                                                + " autopartition.migration WHERE table_name = 'k4_chat_messages'")
                                >= 3);
                status4[0] = phase("k4_chat_messages");
                reader.commit();
            }
            assertThat(status4[0]).as("the killed cutover rolled back").isEqualTo("VERIFIED");
            awaitRunnerSessionsGone();

            AutoPartition ap = AutoPartition.configure(pg.dataSource())
                    .clock(new Fixtures.MovableClock("2022-01-31T12:00:00Z"))
                    .build();
            for (String prefix : prefixes) {
                MigrationStatus resumed = ap.migrateToPartitioned(MigrationRunner.spec(prefix + "chat_messages")
                        .batchSize(5000)
                        .build());
                assertThat(resumed.phase()).as(prefix).isEqualTo(MigrationPhase.CUT_OVER);
            }
        } finally {
            stop.set(true);
            for (Thread writer : writers) {
                writer.join();
            }
        }
        for (String prefix : prefixes) {
            assertThat(ChatWorkload.differences(pg, prefix + "chat_messages", prefix + "oracle"))
                    .as(prefix + " rows missing, extra or different after the kill and the resume")
                    .isZero();
            assertThat(Fixtures.string(
                            pg, "SELECT relkind::text FROM pg_class WHERE relname = '" + prefix + "chat_messages'"))
                    .isEqualTo("p");
        }
    }

    /** Kills a runner doing {@code mode} on {@code table} while it waits for a lock; a reader holds {@code locked}. */
    private static void killBehindReader(String locked, String table, String mode) throws Exception {
        try (Connection reader = pg.connection();
                Statement st = reader.createStatement()) {
            reader.setAutoCommit(false);
            st.executeQuery("SELECT 1 FROM " + locked + " LIMIT 1").close();
            Process process = start(table, 5000, 0, mode);
            killWhen(
                    process,
                    // the runner waits for a lock, on the read table or (busy writers) on one it needs first
                    () -> Fixtures.number(
                                    pg,
                                    "SELECT count(*) FROM pg_locks l JOIN pg_stat_activity a USING (pid) WHERE NOT"
                                            + " l.granted AND a.application_name = '"
                                            + MigrationRunner.APPLICATION_NAME + "'")
                            > 0);
            reader.commit();
        }
        awaitRunnerSessionsGone();
    }

    /**
     * A killed process's sessions end when the server next talks to them: one waiting for a lock lingers until the
     * lock comes or its lock_timeout ends. Resuming waits for that, as an operator would, rather than racing it.
     */
    private static void awaitRunnerSessionsGone() throws InterruptedException {
        String count = "SELECT count(*) FROM pg_stat_activity WHERE application_name = '"
                + MigrationRunner.APPLICATION_NAME + "'";
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (Fixtures.number(pg, count) > 0 && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertThat(Fixtures.number(pg, count)).as("sessions of killed runners").isZero();
    }

    private static @Nullable String shape(String table) {
        return Fixtures.string(
                pg,
                "SELECT string_agg(x, ' | ' ORDER BY x) FROM (SELECT 'rel ' || relname || ' ' || relkind::text AS x"
                        + " FROM pg_class WHERE relname LIKE '" + table + "%' AND relkind IN ('r', 'p')"
                        + " UNION ALL SELECT 'trigger ' || tgname FROM pg_trigger WHERE tgrelid = '" + table
                        + "'::regclass UNION ALL SELECT 'constraint ' || conname || ' ' || pg_get_constraintdef(oid)"
                        + " FROM pg_constraint WHERE conrelid = '" + table + "'::regclass) s");
    }

    @Test
    void resumesAfterAKillInsideUndoFinalizeAndAbort() throws Exception {
        List<String> prefixes = List.of("u5_", "f6_", "a7_");
        for (String prefix : prefixes) {
            ChatWorkload.load(pg, prefix, 0.02);
        }
        String originalShape = shape("a7_chat_messages");
        AutoPartition ap = AutoPartition.configure(pg.dataSource())
                .clock(new Fixtures.MovableClock("2022-01-31T12:00:00Z"))
                .attempts(20) // three writers without pauses keep the tables busy; finalize waits its turn
                .build();
        AtomicBoolean stop = new AtomicBoolean();
        Thread[] writers = new Thread[prefixes.size()];
        for (int i = 0; i < prefixes.size(); i++) {
            long maxId = Fixtures.number(pg, "SELECT max(id) FROM " + prefixes.get(i) + "chat_messages");
            writers[i] = new Thread(new ChatWorkload.Writer(pg, prefixes.get(i), maxId, stop));
            writers[i].start();
        }
        try {
            MigrationSpec.Builder patient = MigrationRunner.spec("u5_chat_messages")
                    .cutoverLockTimeout(java.time.Duration.ofMillis(100))
                    .cutoverAttempts(1000);
            assertThat(ap.migrateToPartitioned(patient.build()).phase()).isEqualTo(MigrationPhase.CUT_OVER);
            assertThat(ap.migrateToPartitioned(
                                    MigrationRunner.spec("f6_chat_messages").build())
                            .phase())
                    .isEqualTo(MigrationPhase.CUT_OVER);
            assertThat(ap.migrateToPartitioned(MigrationRunner.spec("a7_chat_messages")
                                    .cutover(false)
                                    .build())
                            .phase())
                    .isEqualTo(MigrationPhase.VERIFIED);

            // 5: killed inside the undo, while its swap waits behind a reader of the partitioned table
            killBehindReader("u5_chat_messages", "u5_chat_messages", "undo");
            // 6: killed inside finalize, while dropping the original waits behind a reader of it
            killBehindReader("f6_chat_messages_retired", "f6_chat_messages", "finalize");
            // 7: killed inside abort, while removing the capture waits behind a reader of the original
            killBehindReader("a7_chat_messages", "a7_chat_messages", "abort");
            assertThat(List.of(phase("u5_chat_messages"), phase("f6_chat_messages"), phase("a7_chat_messages")))
                    .as("each killed operation rolled back")
                    .containsExactly("CUT_OVER", "CUT_OVER", "VERIFIED");

            assertThat(ap.undoMigration(TableName.of("u5_chat_messages")).phase())
                    .isEqualTo(MigrationPhase.VERIFIED);
            assertThat(ap.finalizeMigration(TableName.of("f6_chat_messages")).phase())
                    .isEqualTo(MigrationPhase.FINALIZED);
            assertThat(ap.abortMigration(TableName.of("a7_chat_messages")).phase())
                    .isEqualTo(MigrationPhase.ABORTED);
        } finally {
            stop.set(true);
            for (Thread writer : writers) {
                writer.join();
            }
        }
        for (String prefix : prefixes) {
            assertThat(ChatWorkload.differences(pg, prefix + "chat_messages", prefix + "oracle"))
                    .as(prefix + " rows missing, extra or different after the kill and the resume")
                    .isZero();
        }
        assertThat(Fixtures.string(pg, "SELECT relkind::text FROM pg_class WHERE relname = 'u5_chat_messages'"))
                .as("undone: the original is back")
                .isEqualTo("r");
        assertThat(Fixtures.number(pg, "SELECT count(*) FROM pg_class WHERE relname = 'f6_chat_messages_retired'"))
                .as("finalized: the original is gone")
                .isZero();
        assertThat(shape("a7_chat_messages"))
                .as("aborted: the original's tables, triggers and constraints are as before")
                .isEqualTo(originalShape);
    }
}
