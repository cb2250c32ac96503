package dev.autopartition.internal.migrate;

import dev.autopartition.Execution;
import dev.autopartition.LockMode;
import dev.autopartition.PlannedStatement;
import dev.autopartition.internal.plan.Statement;
import dev.autopartition.internal.plan.Unit;
import org.jspecify.annotations.Nullable;

/**
 * One statement of a migration's script: its SQL, the lock it takes and on what, and how it must run. The run reads
 * these fields, never the SQL, to decide how to run it.
 *
 * @param creates the quoted name of an index the statement builds CONCURRENTLY: an interrupted build leaves it
 *     invalid, and a resumed run drops and rebuilds it; null for other statements
 */
record ScriptStatement(
        String sql,
        LockMode lockMode,
        String lockedObject,
        String lock,
        Execution execution,
        @Nullable String creates) {

    /** A statement run in a transaction block. */
    static ScriptStatement of(String sql, LockMode mode, String object, String lock) {
        return new ScriptStatement(sql, mode, object, lock, Execution.IN_TRANSACTION, null);
    }

    /** A statement run outside a transaction block, as {@code execution} says. */
    static ScriptStatement outside(String sql, LockMode mode, String object, String lock, Execution execution) {
        return new ScriptStatement(sql, mode, object, lock, execution, null);
    }

    ScriptStatement creating(String index) {
        return new ScriptStatement(sql, lockMode, lockedObject, lock, execution, index);
    }

    /** The same statement with the lock described for a plan. */
    ScriptStatement describedAs(String description) {
        return new ScriptStatement(sql, lockMode, lockedObject, description, execution, creates);
    }

    PlannedStatement planned() {
        return new PlannedStatement(sql, lockMode, lockedObject, lock, execution);
    }

    Statement statement() {
        return Statement.of(planned());
    }

    /** The statement as the executor runs it: alone in a transaction, or on its own outside one. */
    Unit unit() {
        return execution == Execution.IN_TRANSACTION ? Unit.transaction(statement()) : Unit.autocommit(statement());
    }
}
