package dev.autopartition.cli;

import dev.autopartition.Durations;
import dev.autopartition.MigrationPhase;
import dev.autopartition.MigrationStatus;
import java.time.Duration;
import java.util.Locale;
import org.jspecify.annotations.Nullable;

/** What the progress display says about a migration: one line of text, optionally behind a bar. */
final class Progress {
    static final int BAR_WIDTH = 24;

    private Progress() {}

    /** {@code 12,345}. */
    static String count(long n) {
        return String.format(Locale.ROOT, "%,d", n);
    }

    /** The fraction of the estimate copied, 0 to 1; below 1 until the backfill is over (the estimate is rough). */
    static double fraction(MigrationStatus s) {
        if (s.phase() != MigrationPhase.PREPARED) {
            return 1;
        }
        if (s.rowsEstimate() <= 0) {
            return 0;
        }
        return Math.min(0.99, (double) s.rowsCopied() / s.rowsEstimate());
    }

    /** The time left for the backfill at the given rate, or null when unknown or over. */
    static @Nullable Duration eta(MigrationStatus s, double rowsPerSecond) {
        if (s.phase() != MigrationPhase.PREPARED || rowsPerSecond <= 0 || s.rowsCopied() >= s.rowsEstimate()) {
            return null;
        }
        return Duration.ofSeconds((long) Math.ceil((s.rowsEstimate() - s.rowsCopied()) / rowsPerSecond));
    }

    /** The state in words, such as {@code copying 12,000 of ~43,200 rows (27%), 5,400 rows/s, ETA 6s, ...}. */
    static String describe(MigrationStatus s, double rowsPerSecond) {
        return switch (s.phase()) {
            case PREPARED -> {
                StringBuilder out = new StringBuilder("copying ")
                        .append(count(s.rowsCopied()))
                        .append(" of ~")
                        .append(count(s.rowsEstimate()))
                        .append(" rows (")
                        .append((int) Math.floor(fraction(s) * 100))
                        .append("%)");
                if (rowsPerSecond > 0) {
                    out.append(", ").append(count(Math.round(rowsPerSecond))).append(" rows/s");
                }
                Duration eta = eta(s, rowsPerSecond);
                if (eta != null) {
                    out.append(", ETA ").append(Durations.format(eta));
                }
                yield out.append(", ")
                        .append(s.partitionsAttached())
                        .append('/')
                        .append(s.partitions())
                        .append(" partitions attached, backlog ")
                        .append(count(s.backlog()))
                        .toString();
            }
            case BACKFILLED ->
                "catching up and verifying: backlog " + count(s.backlog()) + ", "
                        + count(s.rowsCopied()) + " rows copied, " + s.partitionsAttached() + "/" + s.partitions()
                        + " partitions attached"
                        + (s.fallingBehind() == null
                                ? ""
                                : "; falling behind the writers: "
                                        + s.fallingBehind().reason());
            case VERIFIED ->
                s.cutoverAttempts() > 0
                        ? "cutting over: attempt " + s.cutoverAttempts() + ", backlog " + count(s.backlog())
                        : "verified: ready to cut over, backlog " + count(s.backlog());
            case CUT_OVER -> "cut over";
            default -> s.phase().name().toLowerCase(Locale.ROOT);
        };
    }

    /** {@code [=========>              ]  27% } and the description. */
    static String bar(MigrationStatus s, double rowsPerSecond) {
        double fraction = fraction(s);
        int filled = (int) Math.floor(fraction * BAR_WIDTH);
        StringBuilder bar = new StringBuilder("[");
        for (int i = 0; i < BAR_WIDTH; i++) {
            bar.append(i < filled ? '=' : i == filled ? '>' : ' ');
        }
        return bar.append("] ")
                .append(String.format(Locale.ROOT, "%3d%%", (int) Math.floor(fraction * 100)))
                .append(' ')
                .append(describe(s, rowsPerSecond))
                .toString();
    }

    /** A smoothed copy rate from successive polls, so a resumed migration's ETA ignores the time it was down. */
    static final class Rate {
        private long lastRows = -1;
        private long lastNanos;
        private double smoothed = Double.NaN;

        /** Records a poll; returns the smoothed rows per second, or NaN before two polls a moment apart. */
        double update(long rows, long nanos) {
            if (lastRows >= 0 && rows >= lastRows && nanos - lastNanos >= 200_000_000L) {
                double current = (rows - lastRows) / ((nanos - lastNanos) / 1e9);
                smoothed = Double.isNaN(smoothed) ? current : 0.3 * current + 0.7 * smoothed;
                lastRows = rows;
                lastNanos = nanos;
            } else if (lastRows < 0 || rows < lastRows) {
                lastRows = rows;
                lastNanos = nanos;
            }
            return smoothed;
        }
    }
}
