package dev.autopartition.internal.pace;

import static org.assertj.core.api.Assertions.assertThat;

import dev.autopartition.AutoPartitionSpec;
import dev.autopartition.MigrationSpec;
import dev.autopartition.TableName;
import dev.autopartition.testing.PostgresExtension;
import dev.autopartition.testing.Standby;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The budget pacer on a real server: a real standby that falls behind, and load that slows the probe. */
class PacerIT {
    @RegisterExtension
    static final PostgresExtension pg = new PostgresExtension();

    private static final TableName EVENTS = TableName.of("events");

    @BeforeAll
    static void table() {
        pg.execute(
                "CREATE TABLE events (id bigserial PRIMARY KEY, at timestamptz NOT NULL DEFAULT now(), payload text)",
                "INSERT INTO events (payload) SELECT repeat('x', 100) FROM generate_series(1, 20000)");
    }

    private static ProbeConnections probes() {
        return new ProbeConnections() {
            @Override
            public Connection open() throws SQLException {
                return pg.dataSource().getConnection();
            }

            @Override
            public void release(Connection connection) throws SQLException {
                connection.close();
            }
        };
    }

    private static MigrationSpec.Builder spec() {
        return MigrationSpec.builder(AutoPartitionSpec.builder(EVENTS, "at")
                        .increment("1 day")
                        .build())
                .batchSize(10_000)
                .parallelism(4);
    }

    @Test
    void aStandbyThatFallsBehindThrottlesTheWorkWithTheReasonUntilItCatchesUp() throws Exception {
        try (Standby standby = Standby.startOrSkip(pg.database().server());
                Pacer pacer = Pacers.forMigration(spec().build(), probes(), EVENTS);
                Writer writer = new Writer()) {
            BudgetPacer paced = (BudgetPacer) pacer;
            await(
                    "the pacer at the knobs' limits with the standby in step",
                    () -> paced.pace().reason().isEmpty());
            assertThat(paced.pace().parallelism()).isEqualTo(4);

            standby.pauseReplay();
            await(
                    "a throttle naming the standby lag over its budget",
                    () -> pacer.throttled()
                            .filter(r -> r.startsWith("standby lag ") && r.contains(" > 1 s"))
                            .isPresent());
            await(
                    "the slowest pace",
                    () -> paced.pace().parallelism() == 1 && paced.pace().batchRows() < 1_000);

            standby.resumeReplay();
            await(
                    "the throttle lifted once the standby caught up",
                    () -> pacer.throttled().isEmpty());
            assertThat(paced.pace().batchRows()).isEqualTo(10_000);
            assertThat(writer.rows()).as("rows written meanwhile").isPositive();
        }
    }

    @Test
    void workersThatAskThePacerCopyFarLessWhileTheStandbyIsBehind() throws Exception {
        pg.execute("CREATE TABLE copy_target (id bigint, payload text)");
        MigrationSpec spec = spec().batchSize(2_000).parallelism(2).build();
        try (Standby standby = Standby.startOrSkip(pg.database().server());
                Pacer pacer = Pacers.forMigration(spec, probes(), EVENTS);
                Copy copy = new Copy(pacer, 2)) {
            BudgetPacer paced = (BudgetPacer) pacer;
            long inStep = rowsInAWindowAtTheLimits(copy, paced);

            standby.pauseReplay();
            await(
                    "the slowest pace",
                    () -> paced.pace().parallelism() == 1 && paced.pace().batchRows() < 200);
            long slowStart = copy.rows();
            Thread.sleep(WINDOW_MILLIS);
            long behind = copy.rows() - slowStart;
            assertThat(behind)
                    .as("rows copied in a window with the standby behind, against %s at the limits", inStep)
                    .isLessThan(inStep / 3);

            standby.resumeReplay();
            await(
                    "the throttle lifted once the standby caught up",
                    () -> pacer.throttled().isEmpty());
        }
    }

    private static final long WINDOW_MILLIS = 2_000;

    /**
     * Rows copied in a window during which the pacer held the work at the knobs' limits throughout. On a busy machine
     * the copy's own WAL or the other tests' load can throttle it for a while; such a window is measured again.
     */
    private static long rowsInAWindowAtTheLimits(Copy copy, BudgetPacer paced) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (true) {
            await("the knobs' limits", () -> paced.pace().reason().isEmpty());
            long start = copy.rows();
            boolean atTheLimits = true;
            for (int i = 0; i < WINDOW_MILLIS / 100; i++) {
                Thread.sleep(100);
                atTheLimits &= paced.pace().reason().isEmpty();
            }
            if (atTheLimits) {
                return copy.rows() - start;
            }
            assertThat(System.nanoTime())
                    .as("a window at the knobs' limits came in time")
                    .isLessThan(deadline);
        }
    }

    @Test
    void loadThatSlowsTheProbeSlowsTheWorkDown() throws Exception {
        // The default budget: 1.5 times the idle probe (a fraction of a millisecond here), at least 2 ms. Six busy
        // sessions on this machine's cores take the probe to several milliseconds.
        MigrationSpec spec = spec().build();
        try (Pacer pacer = Pacers.forMigration(spec, probes(), EVENTS)) {
            BudgetPacer paced = (BudgetPacer) pacer;
            try (Load load = new Load(6)) {
                await(
                        "a throttle naming the probe latency over its budget",
                        () -> pacer.throttled()
                                .filter(r -> r.startsWith("probe latency ") && r.contains(" > "))
                                .isPresent());
                await(
                        "fewer workers and smaller batches",
                        () -> paced.pace().parallelism() < 4 && paced.pace().batchRows() < 10_000);
                assertThat(load.queries()).isPositive();
            }
            int slowest = paced.pace().batchRows();
            await("speeding up again without the load", () -> paced.pace().batchRows() > slowest);
        }
    }

    @Test
    void withPacingOffTheKnobsRuleAlone() {
        try (Pacer pacer = Pacers.forMigration(
                spec().pacing(false).pause(Duration.ofMillis(1)).build(), probes(), EVENTS)) {
            assertThat(pacer).isInstanceOf(FixedPacer.class);
            assertThat(pacer.batchRows()).isEqualTo(10_000);
            assertThat(pacer.throttled()).isEqualTo(Optional.empty());
        }
    }

    @Test
    void aTableThatIsGoneIsProbedByTheServersRoundTrip() throws Exception {
        try (Pacer pacer = Pacers.forMigration(spec().build(), probes(), TableName.of("gone"))) {
            BudgetPacer paced = (BudgetPacer) pacer;
            assertThat(paced.probing()).isTrue();
            await("the limits", () -> paced.pace().reason().isEmpty());
        }
    }

    @Test
    void onASingleSharedConnectionThePacerTimesTheBatches() {
        try (Pacer pacer = Pacers.forMigration(spec().build(), null, EVENTS)) {
            assertThat(pacer).isInstanceOf(BudgetPacer.class);
            assertThat(((BudgetPacer) pacer).probing()).isFalse();
            for (int i = 0; i < 8; i++) {
                pacer.batchRows();
                pacer.afterBatch(0, 10_000);
            }
            assertThat(pacer.batchRows()).as("the batch keeps its size").isEqualTo(10_000);
        }
    }

    private static void await(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as("waiting for " + what).isLessThan(deadline);
            Thread.sleep(50);
        }
    }

    private static void join(Thread thread) {
        try {
            thread.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Workers of a copy that ask the pacer before and after each batch, as the migration's workers do. */
    private static final class Copy implements AutoCloseable {
        private final AtomicBoolean running = new AtomicBoolean(true);
        private final List<Thread> threads = new ArrayList<>();
        private final AtomicLong rows = new AtomicLong();

        Copy(Pacer pacer, int workers) {
            for (int i = 0; i < workers; i++) {
                int worker = i;
                Thread thread = new Thread(() -> run(pacer, worker), "copy-" + i);
                thread.start();
                threads.add(thread);
            }
        }

        private void run(Pacer pacer, int worker) {
            try (Connection c = pg.connection();
                    var insert = c.prepareStatement(
                            "INSERT INTO copy_target SELECT g, repeat('c', 200)" + " FROM generate_series(1, ?) g")) {
                while (running.get()) {
                    int batch = pacer.batchRows();
                    insert.setInt(1, batch);
                    insert.executeUpdate();
                    rows.addAndGet(batch);
                    pacer.afterBatch(worker, batch);
                }
            } catch (SQLException e) {
                throw new IllegalStateException(e);
            } catch (dev.autopartition.AutoPartitionException e) {
                // interrupted while pacing: the test is over
            }
        }

        long rows() {
            return rows.get();
        }

        @Override
        public void close() {
            running.set(false);
            threads.forEach(Thread::interrupt);
            threads.forEach(PacerIT::join);
        }
    }

    /** Writes a little WAL all the time, as an application would. */
    private static final class Writer implements AutoCloseable {
        private final AtomicBoolean running = new AtomicBoolean(true);
        private final Thread thread;
        private final AtomicLong rows = new AtomicLong();

        Writer() {
            thread = new Thread(this::run, "writer");
            thread.start();
        }

        private void run() {
            try (Connection c = pg.connection();
                    Statement st = c.createStatement()) {
                while (running.get()) {
                    st.execute("INSERT INTO events (payload) SELECT repeat('y', 100) FROM generate_series(1, 200)");
                    rows.addAndGet(200);
                    Thread.sleep(50);
                }
            } catch (SQLException | InterruptedException e) {
                throw new IllegalStateException(e);
            }
        }

        long rows() {
            return rows.get();
        }

        @Override
        public void close() {
            running.set(false);
            join(thread);
        }
    }

    /** Busy sessions that keep the server's CPUs occupied, as a burst of heavy application queries would. */
    private static final class Load implements AutoCloseable {
        private final AtomicBoolean running = new AtomicBoolean(true);
        private final List<Thread> threads = new ArrayList<>();
        private final AtomicLong queries = new AtomicLong();

        Load(int sessions) {
            for (int i = 0; i < sessions; i++) {
                Thread thread = new Thread(this::run, "load-" + i);
                thread.start();
                threads.add(thread);
            }
        }

        private void run() {
            try (Connection c = pg.connection();
                    Statement st = c.createStatement()) {
                while (running.get()) {
                    st.execute("SELECT count(*) FROM events a, generate_series(1, 20) g WHERE a.payload LIKE '%z%'");
                    queries.incrementAndGet();
                }
            } catch (SQLException e) {
                throw new IllegalStateException(e);
            }
        }

        long queries() {
            return queries.get();
        }

        @Override
        public void close() {
            running.set(false);
            threads.forEach(PacerIT::join);
        }
    }
}
