package dev.autopartition;

import static org.assertj.core.api.Assertions.assertThat;

import dev.autopartition.testing.ChatWorkload;
import dev.autopartition.testing.PostgresExtension;
import java.io.File;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;
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
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder builder = new ProcessBuilder(
                java,
                "-cp",
                System.getProperty("java.class.path"),
                MigrationRunner.class.getName(),
                pg.database().jdbcUrl(),
                pg.database().user(),
                pg.database().password(),
                table,
                Integer.toString(batchSize),
                Integer.toString(pauseMillis),
                mode);
        builder.redirectErrorStream(true);
        builder.redirectOutput(new File("target/" + table + "-runner.log"));
        return builder.start();
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
}
