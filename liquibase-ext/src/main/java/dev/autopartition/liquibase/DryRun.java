package dev.autopartition.liquibase;

import dev.autopartition.AutoPartitionException;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Savepoint;
import org.jspecify.annotations.Nullable;

/**
 * Runs read-only work (plans, validation) on Liquibase's connection and undoes whatever it wrote. The engine installs
 * its catalog on first use, also when it only plans; here that happens inside a savepoint (or a transaction) that is
 * rolled back, so {@code update-sql} and {@code validate} leave the database as they found it.
 *
 * <p>The engine sees a connection that reports the caller's auto-commit mode, so its plans are those of the real run
 * (a concurrent detach is planned exactly when the change set runs outside a transaction); its own commits are
 * swallowed.
 */
final class DryRun {
    private DryRun() {}

    /** Work on a connection. */
    @FunctionalInterface
    interface Work<T> {
        T run(Connection connection);
    }

    static <T> T run(Connection real, Work<T> work) {
        boolean autoCommit;
        Savepoint savepoint = null;
        try {
            autoCommit = real.getAutoCommit();
            if (autoCommit) {
                real.setAutoCommit(false);
            } else {
                savepoint = real.setSavepoint();
            }
        } catch (SQLException e) {
            throw new AutoPartitionException(
                    "Cannot start a dry run on the Liquibase connection: " + e.getMessage(), e);
        }
        T result;
        try {
            result = work.run(proxy(real, autoCommit, savepoint));
        } catch (RuntimeException e) {
            undo(real, savepoint, e);
            throw e;
        }
        undo(real, savepoint, null);
        return result;
    }

    private static void undo(Connection real, @Nullable Savepoint savepoint, @Nullable RuntimeException failure) {
        try {
            if (savepoint == null) {
                real.rollback();
                real.setAutoCommit(true);
            } else {
                real.rollback(savepoint);
                real.releaseSavepoint(savepoint);
            }
        } catch (SQLException e) {
            if (failure != null) {
                failure.addSuppressed(e);
                return;
            }
            throw new AutoPartitionException("Cannot undo a dry run on the Liquibase connection: " + e.getMessage(), e);
        }
    }

    private static Connection proxy(Connection real, boolean reportedAutoCommit, @Nullable Savepoint savepoint) {
        InvocationHandler handler = (Object proxy, Method method, @Nullable Object[] args) -> {
            String name = method.getName();
            if (name.equals("getAutoCommit")) {
                return reportedAutoCommit;
            }
            if (name.equals("setAutoCommit") || name.equals("commit") || name.equals("close")) {
                return null;
            }
            if (name.equals("rollback") && (args == null || args.length == 0)) {
                if (savepoint == null) {
                    real.rollback();
                } else {
                    real.rollback(savepoint);
                }
                return null;
            }
            try {
                return method.invoke(real, args);
            } catch (InvocationTargetException e) {
                throw e.getCause() == null ? e : e.getCause();
            }
        };
        return (Connection)
                Proxy.newProxyInstance(DryRun.class.getClassLoader(), new Class<?>[] {Connection.class}, handler);
    }
}
