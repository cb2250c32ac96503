package dev.autopartition.internal.migrate;

import dev.autopartition.MigrationSpec;
import dev.autopartition.internal.pace.Pacer;
import java.sql.Connection;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** One run of one migration: its connection, row, inventory, spec, strategy and the run's one pacer. */
final class MigrationRun {
    private static final Logger LOG = LoggerFactory.getLogger(MigrationRun.class);

    final MigrationContext ctx;
    final Connection connection;
    final SourceTable source;
    final MigrationSpec spec;
    final Strategy strategy;
    final Pacer pacer;
    private final AtomicReference<String> throttled = new AtomicReference<>("");
    private volatile MigrationRow row;
    private volatile boolean replayBehind;

    MigrationRun(
            MigrationContext ctx,
            Connection connection,
            MigrationRow row,
            SourceTable source,
            MigrationSpec spec,
            Pacer pacer) {
        this.ctx = ctx;
        this.connection = connection;
        this.row = row;
        this.source = source;
        this.spec = spec;
        this.strategy = Strategy.of(row.strategy());
        this.pacer = pacer;
    }

    MigrationRow row() {
        return row;
    }

    void advance(MigrationRow next) {
        this.row = next;
    }

    /**
     * From now on in this run, the replay runs at the knobs' limits rather than the pacer's: a pass did not shrink
     * the backlog. Its work is the application's own writes, so holding it back for the application's latency only
     * makes the log grow, and a replay slower than the writers never reaches the cutover.
     */
    void replayFellBehind() {
        replayBehind = true;
    }

    boolean replayBehind() {
        return replayBehind;
    }

    MigrationSql sql() {
        return new MigrationSql(source, ctx.store, row.id(), row.newName());
    }

    ReplaySql replaySql() {
        return new ReplaySql(source, ctx.store, row.id(), row.newName());
    }

    /** A phase's message with the pacer's reason for holding back, when it holds back: {@code throttled: <reason>}. */
    @Nullable
    String paced(@Nullable String message) {
        Optional<String> reason = pacer.throttled();
        if (reason.isEmpty()) {
            return message;
        }
        return (message == null ? "" : message + "; ") + "throttled: " + reason.get();
    }

    /**
     * Says in the migration's message (status, progress, health) and the log when the pacer starts holding the work
     * back, and why; on {@code worker}'s own connection, once per change of reason.
     */
    void notePace(Connection worker) {
        Optional<String> reason = pacer.throttled();
        String now = reason.orElse("");
        String before = throttled.getAndSet(now);
        if (!now.isEmpty() && !now.equals(before)) {
            LOG.info("{}: throttled: {}", row.table(), now);
            ctx.store.recordMessage(worker, row.id(), "throttled: " + now);
        }
    }
}
