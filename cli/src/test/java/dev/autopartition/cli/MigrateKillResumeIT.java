package dev.autopartition.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.autopartition.AutoPartition;
import dev.autopartition.MigrationPhase;
import dev.autopartition.MigrationStatus;
import dev.autopartition.TableName;
import dev.autopartition.testing.PostgresExtension;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code migrate start} is killed (SIGKILL) in the middle of the copy while an application writes to the table;
 * {@code migrate resume} finishes it, and the result equals an oracle the writer kept in the same transactions.
 */
class MigrateKillResumeIT {
    @RegisterExtension
    static final PostgresExtension pg = new PostgresExtension();

    private static final TableName TABLE = TableName.of("chat_messages");

    /**
     * The migration's spec in an options file that start and resume share, as docs/cli.md suggests; the tuning
     * options may differ between the two.
     */
    private static List<String> migrate(String command, String... tuning) throws IOException {
        Path options = Cli.jar().toAbsolutePath().resolveSibling("chat_messages.args");
        Files.writeString(options, """
                # the spec of the chat_messages migration: the same for start and resume
                --table chat_messages
                --column created_at
                --increment "1 day"
                --max-advance 2
                --now 2022-01-31T12:00:00Z
                """, StandardCharsets.UTF_8);
        List<String> args = new ArrayList<>(List.of("migrate", command, "@" + options, "--progress", "lines"));
        args.addAll(List.of(tuning));
        args.addAll(Cli.connection(pg.database()));
        return args;
    }

    @Test
    void aKilledMigrationIsFinishedByResumeWithoutLosingARow() throws Exception {
        pg.execute(
                "CREATE TABLE chat_messages (id bigserial PRIMARY KEY, created_at timestamptz NOT NULL,"
                        + " chat_id bigint NOT NULL, message text NOT NULL)",
                "INSERT INTO chat_messages (created_at, chat_id, message) SELECT t, (random() * 1000)::bigint,"
                        + " md5(t::text) FROM generate_series('2022-01-01 00:00+00'::timestamptz,"
                        + " '2022-01-30 23:59+00', '1 minute') t",
                "ANALYZE chat_messages",
                "CREATE TABLE oracle AS TABLE chat_messages",
                "ALTER TABLE oracle ADD PRIMARY KEY (id)");
        AutoPartition ap = AutoPartition.configure(pg.dataSource()).build();
        AtomicBoolean stop = new AtomicBoolean();
        Writer writer = new Writer(stop);
        Thread writing = new Thread(writer, "writer");
        writing.start();
        try {
            Cli.Running first = Cli.start(Map.of(), migrate("start", "--batch-size", "500", "--pause", "25ms"));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
            while (ap.migrationStatus(TABLE).map(MigrationStatus::rowsCopied).orElse(0L) < 5_000
                    || !first.stderr().contains("progress: ")) {
                assertThat(first.process().isAlive())
                        .as("still migrating when we kill it: " + first.stderr())
                        .isTrue();
                assertThat(System.nanoTime()).as("the copy got going in time").isLessThan(deadline);
                Thread.sleep(20);
            }
            first.process().destroyForcibly(); // SIGKILL: no shutdown hook, no clean up
            assertThat(first.process().waitFor(30, TimeUnit.SECONDS)).isTrue();
            MigrationStatus killed = ap.migrationStatus(TABLE).orElseThrow();
            assertThat(killed.phase()).as("killed in the middle of the copy").isEqualTo(MigrationPhase.PREPARED);
            assertThat(killed.rowsCopied()).isLessThan(killed.rowsEstimate());
            assertThat(first.stderr())
                    .as("progress lines while it ran")
                    .containsPattern("progress: \"public\".\"chat_messages\" copying [0-9,]+ of ~4[0-9],[0-9]{3} rows");

            Cli.Result resumed = Cli.run(Map.of(), migrate("resume", "--batch-size", "5000"));
            assertThat(resumed.exitCode()).as(resumed.toString()).isZero();
            assertThat(resumed.err())
                    .as(resumed.toString())
                    .contains("autopartition: resuming the migration of \"public\".\"chat_messages\" from phase"
                            + " PREPARED (");
            assertThat(resumed.out()).contains("phase:              CUT_OVER (copy)\n");
        } finally {
            stop.set(true);
            writing.join();
        }
        assertThat(writer.committed.get()).as("the application kept writing").isPositive();
        assertThat(Db.relkind(pg, "chat_messages")).isEqualTo("p");
        assertThat(Db.differences(pg, "chat_messages", "oracle"))
                .as("rows missing, extra or different after the kill and the resume")
                .isZero();
        Optional<MigrationStatus> done = ap.migrationStatus(TABLE);
        assertThat(done.map(MigrationStatus::phase)).contains(MigrationPhase.CUT_OVER);
    }

    @Test
    void anInterruptedMigrationSaysHowToContinueAndDrawsABar() throws Exception {
        pg.execute(
                "CREATE TABLE page_views (id bigserial PRIMARY KEY, created_at timestamptz NOT NULL)",
                "INSERT INTO page_views (created_at) SELECT generate_series('2022-01-01 00:00+00'::timestamptz,"
                        + " '2022-01-30 23:59+00', '1 minute')",
                "ANALYZE page_views");
        List<String> args = new ArrayList<>(List.of(
                "migrate",
                "start",
                "--table",
                "page_views",
                "--column",
                "created_at",
                "--increment",
                "1 day",
                "--now",
                "2022-01-31T12:00:00Z",
                "--batch-size",
                "200",
                "--pause",
                "50ms",
                "--progress",
                "bar"));
        args.addAll(Cli.connection(pg.database()));
        Cli.Running running = Cli.start(Map.of(), args);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
        while (!running.stderr().contains("% copying ")) {
            assertThat(running.process().isAlive()).as(running.stderr()).isTrue();
            assertThat(System.nanoTime()).as("the bar appeared in time").isLessThan(deadline);
            Thread.sleep(20);
        }
        running.process().destroy(); // SIGTERM (Ctrl-C is SIGINT; both run the shutdown hooks)
        Cli.Result r = running.await(60);
        assertThat(r.exitCode()).isEqualTo(143);
        assertThat(r.err())
                .as("a bar redrawn in place")
                .containsPattern("\r\\[=*>? *\\] +\\d+% copying [0-9,]+ of ~4[0-9],[0-9]{3} rows")
                .contains("autopartition: interrupted in phase PREPARED. The migration's progress is recorded:"
                        + " continue it with 'autopartition migrate resume' and the same options, or stop it with"
                        + " 'autopartition migrate abort --table public.page_views'.");
        Cli.Result abort = Cli.run(pg.database(), "migrate", "abort", "--table", "page_views");
        assertThat(abort.exitCode()).as(abort.toString()).isZero();
        assertThat(Db.relkind(pg, "page_views")).isEqualTo("r");
    }

    /** Inserts, updates (also of the partition key) and deletes messages, mirroring each into the oracle. */
    private static final class Writer implements Runnable {
        private final AtomicBoolean stop;
        final AtomicInteger committed = new AtomicInteger();

        Writer(AtomicBoolean stop) {
            this.stop = stop;
        }

        @Override
        public void run() {
            try (Connection c = pg.connection();
                    Statement st = c.createStatement()) {
                c.setAutoCommit(false);
                while (!stop.get()) {
                    try {
                        change(st);
                        c.commit();
                        committed.incrementAndGet();
                    } catch (SQLException e) {
                        c.rollback(); // a lock timeout of the migration's, say: the oracle rolls back with it
                    }
                    Thread.sleep(5);
                }
            } catch (SQLException e) {
                throw new IllegalStateException(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        private static void change(Statement st) throws SQLException {
            ThreadLocalRandom random = ThreadLocalRandom.current();
            long id = 1 + random.nextLong(43_000);
            String at = "'2022-01-01 00:00+00'::timestamptz + interval '" + random.nextInt(43_000) + " minutes'";
            switch (random.nextInt(4)) {
                case 0 -> {
                    long inserted;
                    try (ResultSet rs = st.executeQuery("INSERT INTO chat_messages (created_at, chat_id, message)"
                            + " VALUES (" + at + ", 1, 'new') RETURNING id")) {
                        rs.next();
                        inserted = rs.getLong(1);
                    }
                    st.execute("INSERT INTO oracle SELECT * FROM chat_messages WHERE id = " + inserted);
                }
                case 1 -> both(st, "UPDATE %s SET message = message || '!' WHERE id = " + id);
                case 2 -> both(st, "UPDATE %s SET created_at = " + at + " WHERE id = " + id);
                default -> both(st, "DELETE FROM %s WHERE id = " + id);
            }
        }

        private static void both(Statement st, String sql) throws SQLException {
            st.execute(sql.replace("%s", "chat_messages"));
            st.execute(sql.replace("%s", "oracle"));
        }
    }
}
