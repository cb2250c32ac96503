package dev.autopartition;

/** How a planned statement must run, which decides both how the engine runs it and what it waits for. */
public enum Execution {
    /** In a transaction block behind {@code SET LOCAL lock_timeout}, retried as a whole. */
    IN_TRANSACTION,
    /** Outside a transaction block, on its own (VACUUM, or an ANALYZE or VALIDATE kept out of a long transaction). */
    OUTSIDE_TRANSACTION,
    /**
     * Outside a transaction block, CONCURRENTLY: it waits only for the sessions holding locks on the objects it
     * changes ({@code DETACH PARTITION ... CONCURRENTLY}, {@code DROP INDEX CONCURRENTLY}).
     */
    CONCURRENTLY,
    /**
     * Outside a transaction block, CONCURRENTLY, and it waits until every transaction older than it has ended, whatever
     * that transaction touches ({@code CREATE INDEX CONCURRENTLY}, {@code DETACH PARTITION ... FINALIZE}).
     */
    CONCURRENTLY_AFTER_OLDER_TRANSACTIONS;

    /** Whether PostgreSQL refuses the statement inside a transaction block (or it must run on its own anyway). */
    public boolean outsideTransaction() {
        return this != IN_TRANSACTION;
    }
}
