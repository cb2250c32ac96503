package dev.autopartition.liquibase;

import liquibase.statement.AbstractSqlStatement;

/**
 * What {@code update-sql} and {@code rollback-sql} print for a change: the engine's plan as SQL (each statement with
 * its lock as a comment), or comments saying what is decided only when the change runs.
 */
final class PreviewStatement extends AbstractSqlStatement {
    private final String text;

    PreviewStatement(String text) {
        this.text = text;
    }

    String text() {
        return text;
    }

    @Override
    public String toString() {
        return text;
    }
}
