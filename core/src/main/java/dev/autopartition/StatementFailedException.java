package dev.autopartition;

import java.sql.SQLException;
import org.jspecify.annotations.Nullable;

/** A SQL statement failed. The message carries the SQLSTATE, the server's message and the statement. */
public class StatementFailedException extends AutoPartitionException {
    private static final long serialVersionUID = 1L;
    private final @Nullable String sqlState;
    private final String statement;

    public StatementFailedException(String what, String statement, SQLException cause) {
        super(what + ": [" + cause.getSQLState() + "] " + cause.getMessage() + "\n  statement: " + statement, cause);
        this.sqlState = cause.getSQLState();
        this.statement = statement;
    }

    /** The SQLSTATE the server reported, if any. */
    public @Nullable String sqlState() {
        return sqlState;
    }

    /** The statement that failed. */
    public String statement() {
        return statement;
    }
}
