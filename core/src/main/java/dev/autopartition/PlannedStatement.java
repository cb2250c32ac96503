package dev.autopartition;

/**
 * One SQL statement of a plan and the lock it takes.
 *
 * @param sql the exact statement
 * @param lock the strongest lock it takes, and on what
 * @param inTransaction false for statements PostgreSQL runs only outside a transaction block (concurrent detach)
 */
public record PlannedStatement(String sql, String lock, boolean inTransaction) {}
