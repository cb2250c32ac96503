package dev.autopartition;

import java.util.Optional;

/**
 * Where health checks and metrics read what maintenance last did. {@link MaintenanceScheduler#history()} is the
 * history of this process's scheduler; {@link #none()} is for a process that leaves maintenance to another.
 */
public interface RunHistory {

    /** The last pass over the managed tables, or empty before the first. */
    Optional<LastRun> lastPass();

    /**
     * What the last pass did to the table. A table that a later pass found nothing to do on counts as a success of
     * that pass; empty when no pass has looked at it.
     */
    Optional<LastRun> lastRun(TableName table);

    /** Partitions created on the table since the history began. */
    long partitionsCreated(TableName table);

    /** Partitions removed (detached, dropped or moved) from the table since the history began. */
    long partitionsRemoved(TableName table);

    /**
     * The engine catalog's work history: what any maintainer of the database last did (another instance, the CLI,
     * the in-database procedure), for a process that leaves maintenance to others. It reads the catalog on each call.
     */
    static RunHistory catalog(AutoPartition engine) {
        return new CatalogRunHistory(java.util.Objects.requireNonNull(engine, "engine"));
    }

    /** A history that knows of no run. */
    static RunHistory none() {
        return new InProcessRunHistory();
    }
}
