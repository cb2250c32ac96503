package dev.autopartition;

import static org.assertj.core.api.Assertions.assertThat;

import dev.autopartition.testing.ChatWorkload;
import dev.autopartition.testing.PostgresExtension;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The reference workload (1,037,520 messages in January 2022; {@code -Dautopartition.reference.scale} lowers it on a
 * slow machine) migrated with a clock four years later, so the plan spans the data and the present: more than 1,500
 * daily partitions. Three writers without pauses insert, update (also moving messages to another day) and delete
 * while it runs, faster than a replay that probes every partition for each key could absorb. The migrating process is
 * killed (SIGKILL) while it replays the change log, then resumed; afterwards every message equals the oracle the
 * writers kept in the same transactions.
 */
class MigrationManyPartitionsIT {
    @RegisterExtension
    static final PostgresExtension pg = new PostgresExtension();

    private static final String NOW = "2026-03-20T12:00:00Z";

    @Test
    void aTableWithYearsOfDailyPartitionsCatchesUpUnderWritesAndAKill() throws Exception {
        double scale = Double.parseDouble(System.getProperty("autopartition.reference.scale", "1"));
        long began = System.nanoTime();
        ChatWorkload.load(pg, "", scale);
        long maxId = Fixtures.number(pg, "SELECT max(id) FROM chat_messages");
        AutoPartition ap = AutoPartition.configure(pg.dataSource())
                .clock(new Fixtures.MovableClock(NOW))
                .build();
        ap.maintain(); // installs the catalog the polls read
        long loaded = System.nanoTime();

        AtomicBoolean stop = new AtomicBoolean();
        List<ChatWorkload.Writer> writers = new ArrayList<>();
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            ChatWorkload.Writer writer = new ChatWorkload.Writer(pg, "", maxId, stop);
            writers.add(writer);
            threads.add(new Thread(writer, "writer-" + i));
        }
        threads.forEach(Thread::start);
        MigrationStatus status;
        long replayedBeforeKill;
        try {
            Process runner = start();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(240);
            while (!(phase().equals("BACKFILLED") && replayed() > 0)) {
                assertThat(runner.isAlive())
                        .as("the runner is still working when we kill it")
                        .isTrue();
                assertThat(System.nanoTime()).as("the kill point came in time").isLessThan(deadline);
                Thread.sleep(5);
            }
            runner.destroyForcibly(); // SIGKILL, in the middle of the catch-up
            assertThat(runner.waitFor(30, TimeUnit.SECONDS)).isTrue();
            replayedBeforeKill = replayed();
            awaitRunnerSessionsGone();

            status = ap.migrateToPartitioned(MigrationRunner.spec("chat_messages")
                    .cutoverLockTimeout(java.time.Duration.ofMillis(100))
                    .cutoverAttempts(1000)
                    .build());
            Thread.sleep(300); // writes after the cutover go to the partitioned table
        } finally {
            stop.set(true);
            for (Thread thread : threads) {
                thread.join();
            }
        }
        long done = System.nanoTime();

        assertThat(status.phase()).isEqualTo(MigrationPhase.CUT_OVER);
        assertThat(status.partitions()).as("partitions planned").isGreaterThanOrEqualTo(1_500);
        assertThat(Fixtures.partitions(pg, "chat_messages"))
                .as("partitions attached")
                .hasSizeGreaterThanOrEqualTo(1_500);
        assertThat(replayedBeforeKill).as("the kill came during the replay").isPositive();
        assertThat(status.rowsReplayed()).as("changes replayed").isGreaterThan(replayedBeforeKill);
        int committed = writers.stream().mapToInt(w -> w.committed.get()).sum();
        assertThat(committed).as("writers did work").isGreaterThan(1_000);
        assertThat(ChatWorkload.differences(pg, "chat_messages", "oracle"))
                .as("messages missing, extra or different")
                .isZero();
        assertThat(Fixtures.number(
                        pg,
                        "SELECT count(*) FROM chat_messages WHERE tableoid::regclass::text <>"
                                + " 'chat_messages_p' || to_char(created_at AT TIME ZONE 'UTC', 'YYYYMMDD')"))
                .as("messages outside their day's partition")
                .isZero();
        System.out.printf(
                java.util.Locale.ROOT,
                "many partitions, scale %s: %d partitions; loaded in %.1f s, migrated (kill and resume included) in"
                        + " %.1f s; %,d writer transactions; %,d changes replayed; cutover lock held %.1f ms%n",
                scale,
                status.partitions(),
                (loaded - began) / 1e9,
                (done - loaded) / 1e9,
                committed,
                status.rowsReplayed(),
                status.cutoverLockMillis());
    }

    private static Process start() throws Exception {
        return MigrationRunner.start(pg, "chat_messages", 20000, 0, "cutover", "many-partitions-runner.log", NOW);
    }

    private static String phase() {
        String phase = Fixtures.string(
                pg,
                "SELECT phase FROM autopartition.migration WHERE table_name = 'chat_messages' AND finished_at IS"
                        + " NULL");
        return phase == null ? "" : phase;
    }

    private static long replayed() {
        return Fixtures.number(
                pg,
                "SELECT coalesce(max(rows_replayed), 0) FROM autopartition.migration WHERE table_name ="
                        + " 'chat_messages'");
    }

    private static void awaitRunnerSessionsGone() throws InterruptedException {
        String count = "SELECT count(*) FROM pg_stat_activity WHERE application_name = '"
                + MigrationRunner.APPLICATION_NAME + "'";
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (Fixtures.number(pg, count) > 0 && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertThat(Fixtures.number(pg, count)).as("sessions of killed runners").isZero();
    }
}
