package dev.autopartition.spring.boot;

import dev.autopartition.AutoPartition;
import dev.autopartition.MaintenanceReport;
import dev.autopartition.MaintenanceScheduler;
import dev.autopartition.RunHistory;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;
import org.springframework.context.SmartLifecycle;

/**
 * The application's maintenance: when the context has started (so after Spring Boot's Liquibase or Flyway migration,
 * which this bean also depends on), one pass on the starting thread, so a fresh deployment never waits for the first
 * interval; then a pass every interval plus jitter on a daemon thread; stopped, after a running pass, when the context
 * closes.
 */
public final class AutoPartitionMaintainer implements SmartLifecycle {
    private final MaintenanceScheduler scheduler;
    private final Duration interval;
    private final List<Consumer<MaintenanceReport>> listeners = new CopyOnWriteArrayList<>();
    private volatile boolean running;
    private volatile boolean started;

    AutoPartitionMaintainer(AutoPartition autoPartition, Duration interval, Duration jitter) {
        this.interval = interval;
        this.scheduler = autoPartition.scheduler(interval, jitter).onReport(this::publish);
    }

    /** Calls the listener with the report of every pass (on the thread that ran it). */
    public void onReport(Consumer<MaintenanceReport> listener) {
        listeners.add(listener);
    }

    private void publish(MaintenanceReport report) {
        listeners.forEach(listener -> listener.accept(report));
    }

    /** What this application's passes did; the health indicator and the metrics read it. */
    public RunHistory history() {
        return scheduler.history();
    }

    /** The report of the last pass, or null before the first (or when it failed as a whole). */
    public @Nullable MaintenanceReport lastReport() {
        return scheduler.lastReport();
    }

    /** Runs one pass now, on the calling thread, recorded like a scheduled one. */
    public @Nullable MaintenanceReport runNow() {
        return scheduler.runOnce();
    }

    @Override
    public void start() {
        if (started) {
            // the scheduler's thread is gone once stopped; a context is started once
            return;
        }
        started = true;
        scheduler.runOnce();
        scheduler.startAfter(interval);
        running = true;
    }

    @Override
    public void stop() {
        scheduler.close();
        running = false;
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    /**
     * Below Spring Boot's web server (which starts at {@code DEFAULT_PHASE - 2048}): the start-up pass runs before the
     * server takes requests, and the schedule stops after the server has stopped.
     */
    @Override
    public int getPhase() {
        return SmartLifecycle.DEFAULT_PHASE - 4096;
    }
}
