package dev.autopartition.bench;

import dev.autopartition.AutoPartition;
import dev.autopartition.MigrationStrategy;
import dev.autopartition.TableName;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import javax.sql.DataSource;
import org.jspecify.annotations.Nullable;

/**
 * What the application's p99 would be during a migration that did nothing but take a core, or write what a copy
 * writes, or run the change capture, or read the partitioned table: rows beside the migration methods that say where
 * this machine's frontier lies, measured in the same run against the same application-alone baseline.
 */
final class Frontier {
    private final Db db;
    private final Results results;
    private final @Nullable DataSource standby;
    private final Runnable fresh;
    private final long chats;
    private final Load.Stats baseline;
    private final String section;

    Frontier(
            Db db,
            Results results,
            @Nullable DataSource standby,
            Runnable fresh,
            long chats,
            Load.Stats baseline,
            String section) {
        this.db = db;
        this.results = results;
        this.standby = standby;
        this.fresh = fresh;
        this.chats = chats;
        this.baseline = baseline;
        this.section = section;
    }

    /** Runs the rows whose names contain one of {@code only} (all of them when it is empty). */
    void run(List<String> only) {
        if (only.isEmpty() || only.stream().anyMatch("core busy"::contains)) {
            busyCore(100);
            busyCore(50);
        }
        if (only.isEmpty() || only.stream().anyMatch("disk busy"::contains)) {
            diskBusy(100);
            diskBusy(25);
        }
        if (only.isEmpty() || only.stream().anyMatch("capture alone"::contains)) {
            aroundTheCopy();
        }
    }

    /**
     * The frontier of this machine, without the database doing any work of ours: the application's p99 while one
     * thread of the bench spins on a core for {@code percent} of every 10 ms, for 30 s. A migration that keeps a core
     * that busy cannot leave the application a better p99 than this row, whatever it paces.
     */
    private void busyCore(int percent) {
        beside(
                "during: one core busy " + percent + "% of the time, no database work (the frontier)",
                "busy-core",
                stop -> spin(percent, stop));
    }

    /**
     * The other half of the frontier: the application's p99 while a thread of the bench writes to a file in the
     * temporary directory, beside the embedded server's data, at {@code megabytesPerSecond} (no fsync). A 10x copy writes 1.5 GB of WAL (each method's row says
     * how much) and, by our estimate, about as much again in heap and indexes, all of it on the primary and again on
     * the standby: the fastest copy writes well over 100 MB/s, the gentle setting about 40 MB/s.
     */
    private void diskBusy(int megabytesPerSecond) {
        beside(
                "during: the disk busy, a file written at " + megabytesPerSecond
                        + " MB/s, no database work (the frontier)",
                "busy-disk",
                stop -> write(megabytesPerSecond, stop));
    }

    /** A window of the application on a fresh table while a thread of the bench does {@code work} until stopped. */
    private void beside(String what, String threadName, Consumer<AtomicBoolean> work) {
        fresh.run();
        AtomicBoolean stop = new AtomicBoolean();
        Thread thread = new Thread(() -> work.accept(stop), threadName);
        thread.setDaemon(true);
        thread.start();
        try {
            window(what);
        } finally {
            stop.set(true);
        }
    }

    private static void write(int megabytesPerSecond, AtomicBoolean stop) {
        Path file = Path.of(System.getProperty("java.io.tmpdir"), "autopartition-bench-disk");
        byte[] block = new byte[1 << 20];
        long nanosPerBlock = 1_000_000_000L / megabytesPerSecond;
        try (OutputStream out = Files.newOutputStream(file)) {
            long start = System.nanoTime();
            for (long blocks = 1; !stop.get(); blocks++) {
                out.write(block);
                long early = start + blocks * nanosPerBlock - System.nanoTime();
                if (early > 1_000_000L) {
                    MigrationBench.sleep(early / 1_000_000L);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            try {
                Files.deleteIfExists(file);
            } catch (IOException e) {
                System.err.println("cannot delete " + file + ": " + e);
            }
        }
    }

    /**
     * What the application pays for partitioning and the change capture themselves, without the copy's work: 30 s of
     * the application with the capture trigger on (the migration verified, its cutover not asked for yet, the log
     * growing), then 30 s on the partitioned table after the cutover.
     */
    private void aroundTheCopy() {
        fresh.run();
        AutoPartition ap = AutoPartition.configure(db.dataSource())
                .clock(Clock.fixed(MigrationBench.NOW, ZoneOffset.UTC))
                .build();
        ap.migrateToPartitioned(MigrationBench.migration()
                .strategy(MigrationStrategy.COPY)
                .batchSize(20_000)
                .pacing(false)
                .cutover(false)
                .build());
        db.execute("VACUUM ANALYZE chat_messages", "CHECKPOINT");
        window("during: the change capture alone (verified, before the cutover; no copy)");
        ap.cutover(TableName.of("chat_messages"));
        db.execute("CHECKPOINT");
        window("after the cutover: the application on the partitioned table");
    }

    private void window(String what) {
        Load load = new Load(db.dataSource(), "chat_messages", 4, 20, chats);
        StandbyLag lag = standby == null ? null : new StandbyLag(standby);
        MigrationBench.sleep(30_000);
        Load.Stats stats = load.stop();
        String lagged = lag == null ? "" : ", standby lag max " + Results.fmt(lag.stop(), 2) + " s";
        results.add(
                section,
                what,
                Results.fmt(stats.p99(), 1) + " ms p99",
                Results.fmt(stats.p99() / baseline.p99(), 2),
                stats.summary() + lagged);
    }

    /** Spins for {@code percent} of every 10 ms slice and sleeps the rest, until told to stop. */
    private static void spin(int percent, AtomicBoolean stop) {
        long slice = 10_000_000L;
        long busy = slice * percent / 100;
        while (!stop.get()) {
            long start = System.nanoTime();
            // nanoTime() is a call the JIT cannot drop, so the loop keeps the core busy
            while (System.nanoTime() - start < busy) {
                Thread.onSpinWait();
            }
            if (busy < slice) {
                MigrationBench.sleep((slice - busy) / 1_000_000L);
            }
        }
    }
}
