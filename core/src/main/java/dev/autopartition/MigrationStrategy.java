package dev.autopartition;

/** How {@code migrateToPartitioned} moves the existing rows. */
public enum MigrationStrategy {
    /**
     * Copy the rows into partitions built standalone (loaded in batches, indexed, proven by a CHECK, attached), while
     * a trigger records every concurrent change for replay. The existing rows end up split into proper partitions.
     */
    COPY,
    /**
     * Copy nothing: the existing table becomes one legacy partition below a cut point (proven by a CHECK validated
     * online), new partitions start at the cut point, and the cutover is metadata only.
     */
    ATTACH
}
