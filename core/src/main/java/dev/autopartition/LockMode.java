package dev.autopartition;

import java.util.Locale;

/**
 * PostgreSQL's table lock levels, weakest first, and {@link #NONE} for a statement that locks nothing in use (a table
 * no other session can see yet). A plan states the strongest one each statement takes on a live object.
 */
public enum LockMode {
    NONE,
    ACCESS_SHARE,
    ROW_SHARE,
    ROW_EXCLUSIVE,
    SHARE_UPDATE_EXCLUSIVE,
    SHARE,
    SHARE_ROW_EXCLUSIVE,
    EXCLUSIVE,
    ACCESS_EXCLUSIVE;

    /** The name as PostgreSQL writes it, e.g. {@code SHARE UPDATE EXCLUSIVE} ({@code none} for {@link #NONE}). */
    public String sqlName() {
        return this == NONE ? "none" : name().replace('_', ' ');
    }

    @Override
    public String toString() {
        return sqlName().toUpperCase(Locale.ROOT);
    }
}
