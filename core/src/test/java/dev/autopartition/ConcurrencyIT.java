package dev.autopartition;

import static org.assertj.core.api.Assertions.assertThat;

import dev.autopartition.testing.PostgresExtension;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Many maintainers at once, and maintenance next to a long reader and a busy writer. */
class ConcurrencyIT {
    @RegisterExtension
    static final PostgresExtension pg = new PostgresExtension();

    @Test
    void eightMaintainersAtOnceCreateExactlyTheExpectedPartitions() throws Exception {
        List<TableName> tables = new ArrayList<>();
        Fixtures.MovableClock clock = new Fixtures.MovableClock("2022-01-10T12:00:00Z");
        AutoPartition declaring =
                AutoPartition.configure(pg.dataSource()).clock(clock).build();
        for (int i = 0; i < 4; i++) {
            String name = "busy_" + i;
            pg.execute("CREATE TABLE " + name + " (ts timestamptz NOT NULL) PARTITION BY RANGE (ts)");
            TableName table = TableName.of(name);
            tables.add(table);
            declaring.autoPartition(AutoPartitionSpec.builder(table, "ts")
                    .increment("1 day")
                    .minimumAdvancePartitions(2)
                    .maximumAdvancePartitions(10)
                    .retention("3 days")
                    .build());
        }
        clock.set("2022-01-20T12:00:00Z"); // each table: 10 new partitions, and the 10th to the 16th go
        ExecutorService pool = Executors.newFixedThreadPool(8);
        CountDownLatch start = new CountDownLatch(1);
        List<Future<MaintenanceReport>> runs = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            AutoPartition maintainer =
                    AutoPartition.configure(pg.dataSource()).clock(clock).build();
            runs.add(pool.submit(() -> {
                start.await();
                return maintainer.maintain();
            }));
        }
        start.countDown();
        int created = 0;
        int removed = 0;
        for (Future<MaintenanceReport> run : runs) {
            MaintenanceReport report = run.get(120, TimeUnit.SECONDS);
            assertThat(report.hasErrors()).as(report.toString()).isFalse();
            created += report.created();
            removed += report.removed();
        }
        pool.shutdown();
        assertThat(created).as("each partition created exactly once").isEqualTo(4 * 10);
        assertThat(removed).as("each old partition removed exactly once").isEqualTo(4 * 7);
        for (TableName table : tables) {
            List<String> expected = new ArrayList<>();
            for (int day = 17; day <= 30; day++) {
                expected.add(table.name() + "_p202201" + day);
            }
            assertThat(Fixtures.partitionNames(pg, table.name()))
                    .as(table.toString())
                    .isEqualTo(expected);
        }
    }

    /**
     * A reader holds a long transaction that has read the parent; maintenance creates and removes partitions while a
     * writer keeps inserting. No ACCESS EXCLUSIVE request ever waits on the parent, and the writer is never held up.
     */
    @Test
    void maintenanceNeverQueuesAnExclusiveLockBehindALongReader() throws Exception {
        pg.execute("CREATE TABLE live (ts timestamptz NOT NULL, v int) PARTITION BY RANGE (ts)");
        Fixtures.MovableClock clock = new Fixtures.MovableClock("2022-01-10T12:00:00Z");
        Duration lockTimeout = Duration.ofMillis(200);
        AutoPartition ap = AutoPartition.configure(pg.dataSource())
                .clock(clock)
                .lockTimeout(lockTimeout)
                .attempts(3)
                .backoff(Duration.ofMillis(50), Duration.ofMillis(200))
                .build();
        TableName live = TableName.of("live");
        ap.autoPartition(AutoPartitionSpec.builder(live, "ts")
                .increment("1 day")
                .minimumAdvancePartitions(1)
                .maximumAdvancePartitions(10)
                .retention("2 days")
                .build());
        long parentOid = Fixtures.number(pg, "SELECT 'live'::regclass::oid");

        AtomicBoolean stop = new AtomicBoolean();
        AtomicLong slowestInsertNanos = new AtomicLong();
        AtomicInteger inserts = new AtomicInteger();
        AtomicInteger exclusiveWaits = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try (Connection reader = pg.connection()) {
            reader.setAutoCommit(false);
            try (Statement st = reader.createStatement()) {
                st.executeQuery("SELECT count(*) FROM live").close();
            }
            Future<?> writer = pool.submit(writer(stop, slowestInsertNanos, inserts));
            Future<?> sampler = pool.submit(sampler(stop, parentOid, exclusiveWaits));
            clock.set("2022-01-20T12:00:00Z");
            MaintenanceReport whileReading = ap.maintain(live);
            stop.set(true);
            writer.get(30, TimeUnit.SECONDS);
            sampler.get(30, TimeUnit.SECONDS);
            reader.commit();

            assertThat(whileReading.created())
                    .as("creation is not held up by the reader")
                    .isEqualTo(10);
            assertThat(whileReading.tables().get(0).errors())
                    .as("the concurrent detach waits for the reader, gives up after the lock timeout, reports it")
                    .isNotEmpty()
                    .allMatch(e -> e.contains("could not get a lock"));
        } finally {
            pool.shutdownNow();
        }
        assertThat(exclusiveWaits.get())
                .as("ACCESS EXCLUSIVE requests seen waiting on the parent")
                .isZero();
        assertThat(inserts.get()).as("the writer kept writing").isGreaterThan(10);
        assertThat(Duration.ofNanos(slowestInsertNanos.get()))
                .as("the slowest insert stays below the lock timeout (%s) plus scheduling slack", lockTimeout)
                .isLessThan(lockTimeout.plusMillis(800));

        MaintenanceReport after = ap.maintain(live);
        assertThat(after.hasErrors()).as(after.toString()).isFalse();
        assertThat(after.removed())
                .as("with the reader gone, retention finishes the interrupted detach and the rest")
                .isGreaterThan(0);
        assertThat(Fixtures.number(pg, "SELECT count(*) FROM pg_inherits WHERE inhdetachpending"))
                .isZero();
    }

    private static Callable<Void> writer(AtomicBoolean stop, AtomicLong slowest, AtomicInteger count) {
        return () -> {
            try (Connection c = pg.connection();
                    PreparedStatement insert = c.prepareStatement(
                            "INSERT INTO live VALUES ('2022-01-18 00:00+00'::timestamptz + random() * interval '2 days', 1)")) {
                while (!stop.get()) {
                    long start = System.nanoTime();
                    insert.executeUpdate();
                    slowest.accumulateAndGet(System.nanoTime() - start, Math::max);
                    count.incrementAndGet();
                    Thread.sleep(5);
                }
            }
            return null;
        };
    }

    private static Callable<Void> sampler(AtomicBoolean stop, long parentOid, AtomicInteger waits) {
        return () -> {
            try (Connection c = pg.connection();
                    PreparedStatement locks = c.prepareStatement("SELECT count(*) FROM pg_locks WHERE relation = ?"
                            + " AND mode = 'AccessExclusiveLock' AND NOT granted")) {
                locks.setLong(1, parentOid);
                while (!stop.get()) {
                    try (ResultSet rs = locks.executeQuery()) {
                        rs.next();
                        waits.addAndGet(rs.getInt(1));
                    }
                    Thread.sleep(2);
                }
            }
            return null;
        };
    }
}
