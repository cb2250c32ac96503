package dev.autopartition;

/** Where an online migration stands. Each phase is recorded in the engine's catalog with the work it describes. */
public enum MigrationPhase {
    /** The new partitioned table exists under a temporary name; changes to the original are being recorded. */
    PREPARED,
    /** Every partition is loaded and attached (copy), or the legacy CHECK is validated (attach). */
    BACKFILLED,
    /** Recorded changes are replayed and every partition's rows were compared equal; ready to cut over. */
    VERIFIED,
    /** The partitioned table carries the original name; the original is kept in sync for undo. */
    CUT_OVER,
    /** The original table and the migration's helpers are gone; the migration cannot be undone. */
    FINALIZED,
    /** Stopped before cutover; the original table is as it was. */
    ABORTED
}
