package dev.autopartition;

import java.util.Locale;

/** What retention does with a partition whose upper bound has fallen behind the retention period. */
public enum RetentionAction {
    /** Detach the partition, then drop it. */
    DROP,
    /** Detach the partition and keep it as a plain table. */
    DETACH,
    /** Detach the partition and move it to the retention schema. */
    MOVE;

    /** Parses {@code drop}, {@code detach} or {@code move}, in any case. */
    public static RetentionAction parse(String text) {
        try {
            return valueOf(text.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new InvalidSpecException(
                    SpecField.RETENTION_ACTION,
                    "Unknown retention action '" + text + "'. Fix: use drop, detach or move.");
        }
    }
}
