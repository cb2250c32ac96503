package dev.autopartition;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs maintenance on a daemon thread at a fixed delay plus jitter, until closed. A failed run is logged and the
 * schedule goes on. Safe to run in every instance of an application: tables are worked on under advisory locks.
 *
 * <pre>{@code
 * try (MaintenanceScheduler scheduler = ap.scheduler(Duration.ofMinutes(10), Duration.ofMinutes(1)).start()) {
 *     ... // the application runs
 * }
 * }</pre>
 */
public final class MaintenanceScheduler implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(MaintenanceScheduler.class);

    private final AutoPartition autoPartition;
    private final Duration interval;
    private final Duration jitter;
    private final ScheduledExecutorService executor;
    private final AtomicReference<@Nullable MaintenanceReport> last = new AtomicReference<>();
    private final InProcessRunHistory history = new InProcessRunHistory();
    private volatile Consumer<MaintenanceReport> listener = report -> {};
    /** The next scheduled run, kept so a cancelled schedule can be told apart from a failed one. */
    private volatile @Nullable ScheduledFuture<?> next;

    MaintenanceScheduler(AutoPartition autoPartition, Duration interval, Duration jitter) {
        if (interval.isNegative() || interval.isZero() || jitter.isNegative()) {
            throw new InvalidSpecException("The maintenance interval must be positive and the jitter at least zero,"
                    + " were " + interval + " and " + jitter + ".");
        }
        this.autoPartition = autoPartition;
        this.interval = interval;
        this.jitter = jitter;
        ScheduledThreadPoolExecutor pool = new ScheduledThreadPoolExecutor(1, r -> {
            Thread thread = new Thread(r, "autopartition-maintenance");
            thread.setDaemon(true);
            return thread;
        });
        // close() waits for a running pass, not for the next one: a pass scheduled an interval away is dropped
        pool.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
        this.executor = pool;
    }

    /** Calls the listener with every report (on the scheduler's thread). */
    public MaintenanceScheduler onReport(Consumer<MaintenanceReport> listener) {
        this.listener = listener;
        return this;
    }

    /** Starts the schedule; the first run comes after a random part of the jitter. */
    public MaintenanceScheduler start() {
        return startAfter(Duration.ZERO);
    }

    /**
     * Starts the schedule with the first run after {@code delay} plus a random part of the jitter: after a {@link
     * #runOnce()} at start-up, pass the interval.
     */
    public MaintenanceScheduler startAfter(Duration delay) {
        next = executor.schedule(
                this::runAndReschedule, Math.max(0, delay.toMillis()) + randomJitter(), TimeUnit.MILLISECONDS);
        return this;
    }

    /**
     * Runs one pass now, on the calling thread, recorded like a scheduled one (history, last report, listener). A
     * pass that fails as a whole is logged and recorded, not thrown: the schedule will try again.
     *
     * @return the report, or null when the pass failed as a whole
     */
    public @Nullable MaintenanceReport runOnce() {
        Instant started = Instant.now();
        long startNanos = System.nanoTime();
        MaintenanceReport report;
        try {
            report = autoPartition.maintain();
        } catch (RuntimeException e) {
            history.recordFailure(started, Duration.ofNanos(System.nanoTime() - startNanos), e);
            LOG.warn("Partition maintenance failed; it runs again in {}: {}", interval, e.getMessage(), e);
            return null;
        }
        last.set(report);
        history.record(report);
        if (report.created() > 0 || report.removed() > 0 || report.hasErrors()) {
            LOG.info("{}", report);
        }
        try {
            listener.accept(report);
        } catch (RuntimeException e) {
            LOG.warn("A maintenance report listener failed: {}", e.getMessage(), e);
        }
        return report;
    }

    private void runAndReschedule() {
        try {
            runOnce();
        } finally {
            if (!executor.isShutdown()) {
                next = executor.schedule(
                        this::runAndReschedule, interval.toMillis() + randomJitter(), TimeUnit.MILLISECONDS);
            }
        }
    }

    private long randomJitter() {
        return jitter.isZero() ? 0 : ThreadLocalRandom.current().nextLong(jitter.toMillis() + 1);
    }

    /** Whether the schedule is running (started and not closed). */
    public boolean isRunning() {
        ScheduledFuture<?> scheduled = next;
        return scheduled != null && !executor.isShutdown();
    }

    /** What this scheduler's passes did, for {@link AutoPartition#health(RunHistory)} and metrics. */
    public RunHistory history() {
        return history;
    }

    /** The report of the last run, or null before the first. */
    public @Nullable MaintenanceReport lastReport() {
        return last.get();
    }

    /** Stops the schedule and waits up to 30 seconds for a running maintenance to finish. */
    @Override
    public void close() {
        executor.shutdown();
        try {
            if (!executor.awaitTermination(30, TimeUnit.SECONDS)) {
                executor.shutdownNow();
            }
        } catch (InterruptedException e) {
            executor.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }
}
