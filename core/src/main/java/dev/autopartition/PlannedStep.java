package dev.autopartition;

import java.util.List;

/**
 * One step of a plan: what it does, on which table, and the statements it runs. Statements of one step that run in
 * the same transaction commit together; a step never leaves a table half changed.
 */
public record PlannedStep(TableName table, String action, List<PlannedStatement> statements) {
    public PlannedStep {
        statements = List.copyOf(statements);
    }
}
