package dev.autopartition.internal.pace;

import java.sql.SQLException;
import java.time.Duration;
import java.util.Arrays;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Paces the workers by measurement: a background thread measures five times a second and hands the result to the
 * {@link PaceController}; the workers read the latest {@link Pace}. With a {@link ServerProbe} it measures the probe's
 * latency against a budget set from the probe's latency before the work, and the standbys' replay lag; without one (a
 * single shared connection) it measures the only thing it sees, how long the workers' own batches take, against how
 * long they took at first.
 */
final class BudgetPacer implements Pacer {
    static final Duration ROUND = Duration.ofMillis(200);

    private static final Logger LOG = LoggerFactory.getLogger(BudgetPacer.class);
    private static final int WINDOW = 5;
    private static final double INITIAL_SPEED = 0.5;

    private final PaceController controller;
    private final PaceLimits limits;
    private final WorkerGain gain = new WorkerGain();
    private final AtomicLong rowsDone = new AtomicLong();
    private final Set<Integer> finished = ConcurrentHashMap.newKeySet();
    private volatile boolean newStage;
    private long roundRows;
    private long roundStart = System.nanoTime();
    private final @Nullable ServerProbe probe;
    private final double latencyMultiple;
    private final Duration latencyFloor;
    private final long startNanos = System.nanoTime();
    private final ThreadLocal<long[]> batchStart = ThreadLocal.withInitial(() -> new long[] {-1});
    private final Window latencies = new Window(WINDOW);
    private final Window batchTimes = new Window(WINDOW);
    private final ScheduledExecutorService rounds;
    private volatile @Nullable Duration latencyBudget;
    private volatile Pace pace;

    private BudgetPacer(
            PaceLimits limits,
            @Nullable ServerProbe probe,
            double latencyMultiple,
            Duration latencyFloor,
            @Nullable Duration latencyBudget) {
        this.controller = new PaceController(limits, INITIAL_SPEED);
        this.limits = limits;
        this.probe = probe;
        this.latencyMultiple = latencyMultiple;
        this.latencyFloor = latencyFloor;
        this.latencyBudget = latencyBudget;
        this.pace = controller.next(signals(null, null));
        this.rounds = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "autopartition-pacer");
            thread.setDaemon(true);
            return thread;
        });
        // round() catches everything itself, so the future has nothing to report
        var unused =
                rounds.scheduleWithFixedDelay(this::round, ROUND.toMillis(), ROUND.toMillis(), TimeUnit.MILLISECONDS);
    }

    /**
     * Starts pacing; with a probe it first measures the probe's idle latency (a dozen probes, the median), which sets
     * the latency budget.
     */
    static BudgetPacer start(
            PaceLimits limits, @Nullable ServerProbe probe, double latencyMultiple, Duration latencyFloor) {
        Duration budget = null;
        if (probe != null) {
            try {
                Duration idle = idleLatency(probe);
                budget = PaceLimits.latencyBudget(idle, latencyMultiple, latencyFloor);
                LOG.info(
                        "Pacing: probe latency before the work {}, budget {}; standby lag budget {}",
                        PaceController.format(idle),
                        PaceController.format(budget),
                        PaceController.format(limits.lagBudget()));
            } catch (SQLException e) {
                LOG.warn("Pacing: cannot measure the probe's latency ({}); pacing by standby lag only", e.getMessage());
            }
        }
        return new BudgetPacer(limits, probe, latencyMultiple, latencyFloor, budget);
    }

    private static Duration idleLatency(ServerProbe probe) throws SQLException {
        Window idle = new Window(12);
        for (int i = 0; i < 12; i++) {
            idle.add(probe.latency());
        }
        return idle.median().orElseThrow();
    }

    @Override
    public int batchRows() {
        batchStart.get()[0] = System.nanoTime();
        return pace.batchRows();
    }

    @Override
    public void afterBatch(int worker, long rows) {
        long[] start = batchStart.get();
        // A short last batch of a partition says little about the time a full one takes: only batches of at least
        // half the asked size are timed, scaled to the size asked now.
        int asked = pace.batchRows();
        if (start[0] >= 0 && rows >= Math.max(1, asked / 2)) {
            long nanos = System.nanoTime() - start[0];
            batchTimes.add(Duration.ofNanos(nanos * asked / rows));
        }
        start[0] = -1;
        rowsDone.addAndGet(rows);
        Pace now = pace;
        if (rows > 0 && !now.pause().isZero()) {
            FixedPacer.sleep(now.pause());
        }
        while (rank(worker) >= pace.parallelism()) {
            FixedPacer.sleep(ROUND);
        }
    }

    /** The worker's place among those still working: a worker that is done leaves its place to the next. */
    private int rank(int worker) {
        return worker - (int) finished.stream().filter(w -> w < worker).count();
    }

    @Override
    public void stage(String what) {
        finished.clear();
        newStage = true;
    }

    @Override
    public void done(int worker) {
        finished.add(worker);
    }

    @Override
    public Optional<String> throttled() {
        String reason = pace.reason();
        return reason.isEmpty() ? Optional.empty() : Optional.of(reason);
    }

    @Override
    public void close() {
        rounds.shutdownNow();
        try {
            rounds.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (probe != null) {
            probe.close();
        }
    }

    /** Whether a probe on a connection of its own measures, rather than the batches' timing. */
    boolean probing() {
        return probe != null;
    }

    /** The latest pace, for tests. */
    Pace pace() {
        return pace;
    }

    private void round() {
        try {
            Duration lag = null;
            ServerProbe p = probe;
            if (p != null) {
                latencies.add(p.latency());
                lag = p.standbyLag();
            }
            Signals signals = signals(lag, latencies.median().orElse(null));
            Pace next = fewerIfTheLastWorkerDoesNotPay(controller.next(signals), signals.now());
            if (!next.reason().equals(pace.reason()) && !next.reason().isEmpty()) {
                LOG.debug("Pacing: {}", next.reason());
            }
            pace = next;
        } catch (SQLException | RuntimeException e) {
            // a failed measurement must not stop the work; the last pace holds until the next round
            LOG.debug("Pacing: measurement failed: {}", e.getMessage());
        }
    }

    /** The budgets' pace, with fewer workers where the last one adds too little: see {@link WorkerGain}. */
    private Pace fewerIfTheLastWorkerDoesNotPay(Pace budgets, Duration now) {
        long end = System.nanoTime();
        long rows = rowsDone.get();
        Pace ran = pace;
        if (newStage) {
            newStage = false;
            gain.reset();
        }
        int allowed = gain.next(
                budgets.parallelism(),
                Math.min(ran.parallelism(), limits.maxParallelism() - finished.size()),
                ran.pause().compareTo(limits.minPause()) <= 0,
                rows - roundRows,
                Duration.ofNanos(end - roundStart),
                now);
        roundRows = rows;
        roundStart = end;
        if (allowed >= budgets.parallelism()) {
            return budgets;
        }
        String reason = budgets.reason().isEmpty() ? gain.reason() : budgets.reason();
        return new Pace(budgets.batchRows(), allowed, budgets.pause(), reason);
    }

    private Signals signals(@Nullable Duration lag, @Nullable Duration probeLatency) {
        Duration batchTime = batchTimes.median().orElse(null);
        Duration now = Duration.ofNanos(System.nanoTime() - startNanos);
        if (probe != null) {
            return new Signals(probeLatency, latencyBudget, "probe latency", lag, batchTime, now);
        }
        // Without a probe: the first full window of batches sets the baseline, the later ones are held to it.
        Duration budget = latencyBudget;
        if (budget == null && batchTimes.full() && batchTime != null) {
            budget = PaceLimits.latencyBudget(batchTime, latencyMultiple, latencyFloor);
            latencyBudget = budget;
        }
        return new Signals(budget == null ? null : batchTime, budget, "batch time", lag, batchTime, now);
    }

    /** The last few values, thread-safe. */
    static final class Window {
        private final long[] nanos;
        private int size;
        private int next;

        Window(int capacity) {
            nanos = new long[capacity];
        }

        synchronized void add(Duration value) {
            nanos[next] = value.toNanos();
            next = (next + 1) % nanos.length;
            size = Math.min(size + 1, nanos.length);
        }

        synchronized boolean full() {
            return size == nanos.length;
        }

        synchronized Optional<Duration> median() {
            if (size == 0) {
                return Optional.empty();
            }
            long[] sorted = Arrays.copyOf(nanos, size);
            Arrays.sort(sorted);
            return Optional.of(Duration.ofNanos(sorted[size / 2]));
        }
    }
}
