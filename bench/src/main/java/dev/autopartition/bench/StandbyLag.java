package dev.autopartition.bench;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.sql.DataSource;

/**
 * Watches a standby's replay lag ten times a second, on the standby itself, the way monitoring usually does: zero
 * when it has replayed all it received, else the time since the last transaction it replayed committed on the primary
 * (the application commits many times a second, so that is close to the real lag). Deliberately not the pacer's own
 * measure, so the bench checks the pacer rather than repeating it.
 */
final class StandbyLag implements AutoCloseable {
    private static final String LAG = """
            SELECT CASE WHEN pg_last_wal_receive_lsn() = pg_last_wal_replay_lsn() THEN 0
                        ELSE coalesce(extract(epoch FROM clock_timestamp() - pg_last_xact_replay_timestamp()), 0)
                   END""";

    private final AtomicBoolean stop = new AtomicBoolean();
    private final Thread thread;
    private volatile double max;

    StandbyLag(DataSource standby) {
        thread = new Thread(() -> watch(standby), "standby-lag");
        thread.setDaemon(true);
        thread.start();
    }

    private void watch(DataSource standby) {
        try (Connection c = standby.getConnection();
                Statement st = c.createStatement()) {
            while (!stop.get()) {
                try (ResultSet rs = st.executeQuery(LAG)) {
                    rs.next();
                    double lag = rs.getDouble(1);
                    if (lag > max) {
                        max = lag;
                    }
                }
                Thread.sleep(100);
            }
        } catch (SQLException | InterruptedException e) {
            System.err.println("standby lag watch stopped: " + e.getMessage());
        }
    }

    /** Stops watching and returns the largest lag seen, in seconds. */
    double stop() {
        stop.set(true);
        try {
            thread.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return max;
    }

    @Override
    public void close() {
        stop();
    }
}
