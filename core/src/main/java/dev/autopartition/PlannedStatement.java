package dev.autopartition;

/**
 * One SQL statement of a plan, the lock it takes and how it runs.
 *
 * @param sql the exact statement
 * @param lockMode the strongest lock it takes on an object in use ({@link LockMode#NONE} when it touches only objects
 *     nobody else uses yet)
 * @param lockedObject the object that lock is on, quoted, or a short description when it is several
 * @param lock the lock in words, with how long it is held and what it blocks
 * @param execution how it must run: in a transaction block, outside one, or CONCURRENTLY
 */
public record PlannedStatement(String sql, LockMode lockMode, String lockedObject, String lock, Execution execution) {

    /** Whether it runs inside a transaction block. */
    public boolean inTransaction() {
        return execution == Execution.IN_TRANSACTION;
    }
}
