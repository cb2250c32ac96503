package dev.autopartition.internal.plan;

import java.util.List;

/**
 * Statements that run together: in one transaction behind {@code SET LOCAL lock_timeout}, retried as a whole, or
 * (when {@code transactional} is false) one by one outside any transaction block, which {@code DETACH ...
 * CONCURRENTLY} requires.
 */
public record Unit(boolean transactional, List<Statement> statements) {
    public Unit {
        statements = List.copyOf(statements);
    }

    public static Unit transaction(Statement... statements) {
        return new Unit(true, List.of(statements));
    }

    public static Unit autocommit(Statement statement) {
        return new Unit(false, List.of(statement));
    }
}
