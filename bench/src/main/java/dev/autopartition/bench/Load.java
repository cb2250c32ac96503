package dev.autopartition.bench;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.sql.DataSource;

/**
 * The application: several clients, each sending one transaction every {@code periodMillis} (insert a message,
 * read the 20 most recent), as in the workload's concurrent-load.pgbench. Latency is measured from the moment a
 * transaction was due, so a stall is counted in full (no coordinated omission).
 */
final class Load implements AutoCloseable {
    /** Latency figures of one run, in milliseconds. */
    record Stats(double seconds, int transactions, int failures, double p50, double p99, double max) {
        double perSecond() {
            return transactions / seconds;
        }

        /** The figures beside the p99: median, worst, throughput and failures. */
        String summary() {
            return "p50 " + Results.fmt(p50, 1) + " ms, max " + Results.fmt(max, 1) + " ms, "
                    + Results.fmt(perSecond(), 0) + " tx/s, " + failures + " failed";
        }
    }

    private final List<Thread> threads = new ArrayList<>();
    private final List<Long> latencies = Collections.synchronizedList(new ArrayList<>());
    private final AtomicBoolean stop = new AtomicBoolean();
    private int failures;
    private final long started = System.nanoTime();

    Load(DataSource dataSource, String table, int clients, long periodMillis, long chats) {
        for (int i = 0; i < clients; i++) {
            Thread thread = new Thread(() -> run(dataSource, table, periodMillis, chats), "load-" + i);
            thread.setDaemon(true);
            threads.add(thread);
            thread.start();
        }
    }

    private void run(DataSource dataSource, String table, long periodMillis, long chats) {
        long period = periodMillis * 1_000_000L;
        long due = System.nanoTime();
        try (Connection c = dataSource.getConnection()) {
            PreparedStatement insert = c.prepareStatement("INSERT INTO " + table + " (created_at, chat_id,"
                    + " chat_created_at, message) VALUES ('2022-01-31 12:00+00'::timestamptz + random() * interval"
                    + " '6 hours', ?, '2022-01-01 00:00+00', 'hello')");
            PreparedStatement read = c.prepareStatement("SELECT id, created_at, chat_id, message FROM " + table
                    + " WHERE created_at > '2022-01-31 11:00+00' ORDER BY created_at DESC LIMIT 20");
            while (!stop.get()) {
                long now = System.nanoTime();
                if (now < due) {
                    Thread.sleep((due - now) / 1_000_000L, (int) ((due - now) % 1_000_000L));
                }
                try {
                    insert.setLong(1, 1 + ThreadLocalRandom.current().nextLong(chats));
                    insert.executeUpdate();
                    try (ResultSet rs = read.executeQuery()) {
                        while (rs.next()) {
                            rs.getLong(1);
                        }
                    }
                    latencies.add(System.nanoTime() - due);
                } catch (SQLException e) {
                    synchronized (this) {
                        failures++;
                    }
                }
                due += period;
            }
        } catch (SQLException | InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }

    Stats stop() {
        stop.set(true);
        for (Thread thread : threads) {
            try {
                thread.join(30_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        List<Long> sorted = new ArrayList<>(latencies);
        Collections.sort(sorted);
        if (sorted.isEmpty()) {
            return new Stats(seconds, 0, failures, 0, 0, 0);
        }
        return new Stats(
                seconds,
                sorted.size(),
                failures,
                percentile(sorted, 0.50),
                percentile(sorted, 0.99),
                sorted.get(sorted.size() - 1) / 1e6);
    }

    private static double percentile(List<Long> sorted, double p) {
        return sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(p * sorted.size()) - 1)) / 1e6;
    }

    @Override
    public void close() {
        stop.set(true);
    }
}
