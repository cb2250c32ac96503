package dev.autopartition.spring.boot;

import dev.autopartition.AutoPartition;
import dev.autopartition.HealthReport;
import dev.autopartition.RunHistory;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * One read of {@link AutoPartition#health} shared by the health indicator and every gauge for a short while: a scrape
 * reads a dozen gauges per table, and each read counts the default partitions' rows.
 */
final class HealthReads {
    private final AutoPartition autoPartition;
    private final Supplier<RunHistory> history;
    private final Duration migrationStuckAfter;
    private final long cacheNanos;
    private final List<Consumer<HealthReport>> listeners = new CopyOnWriteArrayList<>();
    private @Nullable HealthReport last;
    private long readAt;

    HealthReads(
            AutoPartition autoPartition,
            Supplier<RunHistory> history,
            Duration migrationStuckAfter,
            Duration cacheFor) {
        this.autoPartition = autoPartition;
        this.history = history;
        this.migrationStuckAfter = migrationStuckAfter;
        this.cacheNanos = cacheFor.toNanos();
    }

    /** Calls the listener with every fresh read. */
    void onRead(Consumer<HealthReport> listener) {
        listeners.add(listener);
    }

    /** The last read if it is recent enough, otherwise a new one. */
    HealthReport current() {
        return read(false);
    }

    /** A new read, whatever the age of the last one (after a maintenance pass, which may have changed the tables). */
    HealthReport refresh() {
        return read(true);
    }

    private HealthReport read(boolean fresh) {
        HealthReport report;
        synchronized (this) {
            if (!fresh && last != null && System.nanoTime() - readAt < cacheNanos) {
                return last;
            }
            report = autoPartition.health(history.get(), migrationStuckAfter);
            last = report;
            readAt = System.nanoTime();
        }
        listeners.forEach(listener -> listener.accept(report));
        return report;
    }

    /** The last read, without reading; null before the first. */
    synchronized @Nullable HealthReport lastRead() {
        return last;
    }
}
