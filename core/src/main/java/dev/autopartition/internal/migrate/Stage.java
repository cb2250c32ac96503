package dev.autopartition.internal.migrate;

import java.util.Locale;

/** A part of a migration's script, run at one point of the migration. */
enum Stage {
    /** Creates the new table and starts recording changes (or, for ATTACH, the CHECK that keeps rows below the cut). */
    PREPARE,
    /** ATTACH only: validates the CHECK and builds the widened unique keys online. */
    PROVE,
    /** Inside the cutover's transaction, after its locks and the last replay. */
    CUTOVER,
    /** After the cutover committed: validations and statistics. */
    AFTER_CUTOVER,
    /** Inside the undo's transaction, after its lock. */
    UNDO,
    /** After the undo committed. */
    AFTER_UNDO,
    /** Drops what an undo would have needed; after it the migration cannot be undone. */
    FINALIZE,
    /** Removes the migration's objects before a cutover; the original table stays as it was. */
    ABORT;

    /** The name the stage's statements are stored under. */
    String kind() {
        return name().toLowerCase(Locale.ROOT);
    }
}
