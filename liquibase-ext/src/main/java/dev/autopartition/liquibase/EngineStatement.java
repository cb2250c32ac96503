package dev.autopartition.liquibase;

import dev.autopartition.AutoPartitionException;
import java.sql.Connection;
import liquibase.Scope;
import liquibase.database.Database;
import liquibase.database.PreparedStatementFactory;
import liquibase.database.jvm.JdbcConnection;
import liquibase.exception.DatabaseException;
import liquibase.statement.AbstractSqlStatement;
import liquibase.statement.ExecutablePreparedStatement;

/**
 * Runs one engine operation on Liquibase's own connection when the change set executes. With the default {@code
 * runInTransaction="true"} the engine works inside Liquibase's transaction (savepoints, never a commit); with {@code
 * runInTransaction="false"} the connection is in auto-commit mode and the engine commits each step itself.
 */
final class EngineStatement extends AbstractSqlStatement implements ExecutablePreparedStatement {
    /** The operation; returns what it did, for the log. */
    @FunctionalInterface
    interface Action {
        String run(Connection connection);
    }

    private final String description;
    private final Database database;
    private final Action action;
    private final boolean logResult;

    /**
     * @param logResult whether to log what the action did (a change's result is logged by Liquibase as its
     *     confirmation message; a rollback's is not)
     */
    EngineStatement(String description, Database database, boolean logResult, Action action) {
        this.description = description;
        this.database = database;
        this.logResult = logResult;
        this.action = action;
    }

    String description() {
        return description;
    }

    @Override
    public void execute(PreparedStatementFactory factory) throws DatabaseException {
        if (!(database.getConnection() instanceof JdbcConnection jdbc)) {
            throw new DatabaseException(
                    description + " needs a live JDBC connection to PostgreSQL; this one is " + database.getConnection()
                            + ". Fix: run update against a database URL (update-sql works offline).");
        }
        try {
            String result = action.run(jdbc.getUnderlyingConnection());
            if (logResult) {
                Scope.getCurrentScope().getLog(EngineStatement.class).info(result);
            }
        } catch (AutoPartitionException e) {
            throw new DatabaseException(description + ": " + e.getMessage(), e);
        } catch (RuntimeException e) {
            throw new DatabaseException(description + " failed unexpectedly: " + e, e);
        }
    }

    @Override
    public String toString() {
        return description;
    }
}
