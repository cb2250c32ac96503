package dev.autopartition.internal.plan;

import org.jspecify.annotations.Nullable;

/**
 * A statement the executor runs.
 *
 * @param lock the strongest lock it takes, for plans
 * @param kind how the executor treats it
 * @param resumeSql what to run instead on a retry when {@code pendingSql} says the first try got half way (a
 *     concurrent detach whose first transaction committed is finished with FINALIZE)
 * @param pendingSql a query returning true when the statement got half way
 */
public record Statement(
        String sql,
        String lock,
        Kind kind,
        @Nullable String resumeSql,
        @Nullable String pendingSql) {
    /** How a statement is run. */
    public enum Kind {
        /** Runs once. */
        DDL,
        /** Runs again and again while it affects a full batch of rows. */
        BATCH,
        /** Keeps the engine's catalog in step; not shown in plans. */
        BOOKKEEPING
    }

    public Statement(String sql, String lock, Kind kind) {
        this(sql, lock, kind, null, null);
    }

    public static Statement ddl(String sql, String lock) {
        return new Statement(sql, lock, Kind.DDL);
    }

    public static Statement bookkeeping(String sql) {
        return new Statement(sql, "ROW EXCLUSIVE on the autopartition catalog", Kind.BOOKKEEPING);
    }
}
