package dev.autopartition.internal.exec;

import dev.autopartition.internal.catalog.EngineCatalog;
import dev.autopartition.internal.run.Executor;
import java.time.Clock;
import java.time.Duration;

/**
 * The engine's settings, validated once by the public builder.
 *
 * @param lockTimeout how long one statement waits for a lock before it gives up and is retried
 * @param attempts how many times a unit is tried before the step fails
 * @param backoff the first retry delay; it doubles with each retry, with jitter, up to {@code maxBackoff}
 * @param batchSize rows per batch when rows move out of a default partition
 * @param clock the clock that decides which partitions are current
 */
public record Settings(
        EngineCatalog catalog,
        Duration lockTimeout,
        int attempts,
        Duration backoff,
        Duration maxBackoff,
        int batchSize,
        Clock clock) {

    /**
     * Checks what every connection must offer: text literals are written for standard_conforming_strings = on.
     */
    static void checkConnection(java.sql.Connection connection) {
        String sql = "SHOW standard_conforming_strings";
        try (var st = connection.createStatement();
                var rs = st.executeQuery(sql)) {
            if (rs.next() && !rs.getString(1).equals("on")) {
                throw new dev.autopartition.AutoPartitionException("standard_conforming_strings is off on this"
                        + " connection; autopartition writes literals for it being on (the default since"
                        + " PostgreSQL 9.1). Fix: SET standard_conforming_strings = on.");
            }
        } catch (java.sql.SQLException e) {
            throw new dev.autopartition.StatementFailedException("Cannot read connection settings", sql, e);
        }
    }

    /** Sets the session's lock_timeout and returns the previous value (inside a transaction: until its end). */
    static String sessionLockTimeout(java.sql.Connection connection, java.time.Duration timeout) {
        String sql = "SELECT current_setting('lock_timeout'), set_config('lock_timeout', ?, ?)";
        try (var ps = connection.prepareStatement(sql)) {
            ps.setString(1, timeout.toMillis() + "ms");
            ps.setBoolean(2, !connection.getAutoCommit());
            try (var rs = ps.executeQuery()) {
                rs.next();
                return rs.getString(1);
            }
        } catch (java.sql.SQLException e) {
            throw new dev.autopartition.StatementFailedException("Cannot set lock_timeout", sql, e);
        }
    }

    static void restoreLockTimeout(java.sql.Connection connection, String previous) {
        String sql = "SELECT set_config('lock_timeout', ?, ?)";
        try (var ps = connection.prepareStatement(sql)) {
            ps.setString(1, previous);
            ps.setBoolean(2, !connection.getAutoCommit());
            ps.executeQuery().close();
        } catch (java.sql.SQLException e) {
            // the connection may be broken; the pool or the caller deals with it
        }
    }

    public Executor executor() {
        return new Executor(lockTimeout, attempts, backoff, maxBackoff);
    }
}
