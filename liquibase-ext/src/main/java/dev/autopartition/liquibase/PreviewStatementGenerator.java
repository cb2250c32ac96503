package dev.autopartition.liquibase;

import liquibase.database.Database;
import liquibase.exception.ValidationErrors;
import liquibase.sql.Sql;
import liquibase.sql.UnparsedSql;
import liquibase.sqlgenerator.SqlGeneratorChain;
import liquibase.sqlgenerator.core.AbstractSqlGenerator;

/** Prints a {@link PreviewStatement} as it is. */
public final class PreviewStatementGenerator extends AbstractSqlGenerator<PreviewStatement> {
    @Override
    public boolean generateStatementsIsVolatile(Database database) {
        return false;
    }

    @Override
    public ValidationErrors validate(
            PreviewStatement statement, Database database, SqlGeneratorChain<PreviewStatement> chain) {
        return new ValidationErrors();
    }

    @Override
    public Sql[] generateSql(PreviewStatement statement, Database database, SqlGeneratorChain<PreviewStatement> chain) {
        return new Sql[] {new UnparsedSql(statement.text())};
    }
}
