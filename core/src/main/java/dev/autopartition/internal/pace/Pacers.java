package dev.autopartition.internal.pace;

import dev.autopartition.MigrationSpec;
import dev.autopartition.TableName;
import java.sql.SQLException;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The pacer of one migration run. The migration opens one per run and closes it at the end; its workers call {@link
 * Pacer#batchRows()} before and {@link Pacer#afterBatch} after each batch, and its progress and status show {@link
 * Pacer#throttled()}. The engine's connection source is adapted in a few lines:
 *
 * <pre>{@code
 * ProbeConnections probes = source.shared() ? null : new ProbeConnections() {
 *     public Connection open() throws SQLException { return source.open(); }
 *     public void release(Connection c) throws SQLException { source.release(c); }
 * };
 * try (Pacer pacer = Pacers.forMigration(spec, probes, spec.table())) { ... }
 * }</pre>
 */
public final class Pacers {
    private static final Logger LOG = LoggerFactory.getLogger(Pacers.class);

    private Pacers() {}

    /**
     * The pacer for a run of {@code spec}: the knobs alone when pacing is off; otherwise one that holds the spec's
     * budgets, measuring on a connection from {@code probes} (or, with none, or when none opens, timing the batches).
     * The caller closes it when the run ends.
     *
     * @param probes where the pacer's own connection comes from; null when the work has a single shared connection
     *     (which also means a single worker)
     * @param source the table the application uses, which the probe reads
     */
    public static Pacer forMigration(MigrationSpec spec, @Nullable ProbeConnections probes, TableName source) {
        if (!spec.pacing()) {
            return Pacer.fixed(spec.batchSize(), spec.pause());
        }
        ServerProbe probe = null;
        if (probes != null) {
            try {
                probe = ServerProbe.open(probes, source);
            } catch (SQLException e) {
                LOG.warn(
                        "Pacing the migration of {}: cannot open the probe's connection ({}); timing the batches"
                                + " instead, standby lag is not watched",
                        source,
                        e.getMessage());
            }
        }
        // one shared connection means one worker, whatever the spec asks
        int workers = probes == null ? 1 : spec.parallelism();
        PaceLimits limits =
                new PaceLimits(spec.batchSize(), workers, spec.pause(), spec.standbyLagBudget(), probe != null);
        return BudgetPacer.start(limits, probe, spec.latencyBudget(), spec.latencyFloor());
    }
}
