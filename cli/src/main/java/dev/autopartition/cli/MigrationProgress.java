package dev.autopartition.cli;

import dev.autopartition.MigrationPhase;
import dev.autopartition.MigrationStatus;
import java.io.Console;
import java.io.PrintWriter;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/**
 * Shows a running migration's progress on stderr: a bar redrawn in place on a terminal, otherwise a plain line at the
 * start, at each phase change and every few seconds. It polls the engine's catalog on its own connection, so the
 * migration's connection is never shared.
 */
final class MigrationProgress implements AutoCloseable {
    /** How progress is shown. */
    enum Mode {
        /** A bar on a terminal, lines otherwise. */
        AUTO,
        BAR,
        LINES,
        NONE
    }

    /** Reads the migration's status; called on the progress thread only. */
    interface Poller extends AutoCloseable {
        Optional<MigrationStatus> poll() throws Exception;

        @Override
        void close();
    }

    private static final long POLL_MILLIS = 500;
    private static final long LINE_EVERY_NANOS = TimeUnit.SECONDS.toNanos(10);

    private final Poller poller;
    private final PrintWriter err;
    private final boolean bar;
    private final Thread thread;
    private final Progress.Rate rate = new Progress.Rate();
    private volatile boolean running = true;
    private volatile @Nullable MigrationStatus last;
    private @Nullable MigrationPhase printedPhase;
    private long printedAt;
    private int drawnWidth;

    MigrationProgress(Poller poller, PrintWriter err, Mode mode) {
        this.poller = poller;
        this.err = err;
        this.bar = mode == Mode.BAR || (mode == Mode.AUTO && interactive());
        this.thread = new Thread(this::run, "autopartition-progress");
        this.thread.setDaemon(true);
        if (mode != Mode.NONE) {
            thread.start();
        }
    }

    private static boolean interactive() {
        String term = System.getenv("TERM");
        return term != null && !term.equals("dumb") && terminal(System.console());
    }

    /** Whether there is a terminal: Java 22+ returns a console even without one, and says so by isTerminal(). */
    @SuppressWarnings("SystemConsoleNull") // the null check is right on 17 to 21, isTerminal() on 22+
    private static boolean terminal(@Nullable Console console) {
        if (console == null) {
            return false;
        }
        try {
            return (Boolean) Console.class.getMethod("isTerminal").invoke(console);
        } catch (ReflectiveOperationException e) {
            return true; // before Java 22 a console exists only on a terminal
        }
    }

    /** The last status polled, or null. */
    @Nullable
    MigrationStatus last() {
        return last;
    }

    private void run() {
        int failures = 0;
        try {
            while (running) {
                try {
                    Optional<MigrationStatus> status = poller.poll();
                    failures = 0;
                    if (status.isPresent() && running) {
                        show(status.get());
                    }
                } catch (Exception e) {
                    if (++failures >= 5) {
                        return; // the migration itself reports a lost database; the display just stops
                    }
                }
                Thread.sleep(POLL_MILLIS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            poller.close();
        }
    }

    private void show(MigrationStatus status) {
        last = status;
        long now = System.nanoTime();
        double rowsPerSecond = rate.update(status.rowsCopied(), now);
        if (Double.isNaN(rowsPerSecond)) {
            rowsPerSecond = status.rowsPerSecond();
        }
        synchronized (err) {
            if (bar) {
                String line = Progress.bar(status, rowsPerSecond);
                err.print("\r" + line + " ".repeat(Math.max(0, drawnWidth - line.length())));
                drawnWidth = line.length();
                err.flush();
            } else if (status.phase() != printedPhase || now - printedAt >= LINE_EVERY_NANOS) {
                err.println("progress: " + status.table() + " " + Progress.describe(status, rowsPerSecond));
                err.flush();
                printedPhase = status.phase();
                printedAt = now;
            }
        }
    }

    /** Stops polling; a bar is ended with a line break. */
    @Override
    public void close() {
        running = false;
        thread.interrupt();
        try {
            thread.join(TimeUnit.SECONDS.toMillis(2));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        synchronized (err) {
            if (bar && drawnWidth > 0) {
                err.println();
                err.flush();
                drawnWidth = 0;
            }
        }
    }
}
