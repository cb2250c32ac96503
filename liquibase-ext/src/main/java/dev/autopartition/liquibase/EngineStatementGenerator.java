package dev.autopartition.liquibase;

import liquibase.database.Database;
import liquibase.exception.ValidationErrors;
import liquibase.sql.Sql;
import liquibase.sql.UnparsedSql;
import liquibase.sqlgenerator.SqlGeneratorChain;
import liquibase.sqlgenerator.core.AbstractSqlGenerator;

/**
 * The generator Liquibase requires for every statement type. An {@link EngineStatement} runs Java code rather than
 * SQL; its text, used only where Liquibase describes a statement (logs, MDC), is a comment naming the operation.
 */
public final class EngineStatementGenerator extends AbstractSqlGenerator<EngineStatement> {
    @Override
    public boolean generateStatementsIsVolatile(Database database) {
        return false;
    }

    @Override
    public ValidationErrors validate(
            EngineStatement statement, Database database, SqlGeneratorChain<EngineStatement> chain) {
        return new ValidationErrors();
    }

    @Override
    public Sql[] generateSql(EngineStatement statement, Database database, SqlGeneratorChain<EngineStatement> chain) {
        return new Sql[] {new UnparsedSql("-- autopartition: " + statement.description())};
    }
}
