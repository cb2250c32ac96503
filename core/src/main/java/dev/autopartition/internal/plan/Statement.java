package dev.autopartition.internal.plan;

import dev.autopartition.Execution;
import dev.autopartition.LockMode;
import dev.autopartition.PlannedStatement;
import org.jspecify.annotations.Nullable;

/**
 * A statement the executor runs.
 *
 * @param mode the strongest lock it takes, for plans and for deciding nothing from the SQL text
 * @param lockedObject what that lock is on
 * @param lock the lock in words, for plans
 * @param kind how the executor treats it
 * @param execution how it must run; the unit it is in follows it
 * @param resumeSql what to run instead on a retry when {@code pendingSql} says the first try got half way (a
 *     concurrent detach whose first transaction committed is finished with FINALIZE)
 * @param pendingSql a query returning true when the statement got half way
 */
public record Statement(
        String sql,
        LockMode mode,
        String lockedObject,
        String lock,
        Kind kind,
        Execution execution,
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

    /** A statement run once in a transaction block. */
    public static Statement ddl(String sql, LockMode mode, String lockedObject, String lock) {
        return new Statement(sql, mode, lockedObject, lock, Kind.DDL, Execution.IN_TRANSACTION, null, null);
    }

    /** A statement run once outside a transaction block, as {@code execution} says. */
    public static Statement outside(String sql, LockMode mode, String lockedObject, String lock, Execution execution) {
        return new Statement(sql, mode, lockedObject, lock, Kind.DDL, execution, null, null);
    }

    /** A planned statement, run as it was planned. */
    public static Statement of(PlannedStatement planned) {
        return new Statement(
                planned.sql(),
                planned.lockMode(),
                planned.lockedObject(),
                planned.lock(),
                Kind.DDL,
                planned.execution(),
                null,
                null);
    }

    public static Statement bookkeeping(String sql) {
        return new Statement(
                sql,
                LockMode.ROW_EXCLUSIVE,
                "the autopartition catalog",
                "ROW EXCLUSIVE on the autopartition catalog",
                Kind.BOOKKEEPING,
                Execution.IN_TRANSACTION,
                null,
                null);
    }

    /** The statement as a plan shows it. */
    public PlannedStatement planned() {
        return new PlannedStatement(sql, mode, lockedObject, lock, execution);
    }
}
