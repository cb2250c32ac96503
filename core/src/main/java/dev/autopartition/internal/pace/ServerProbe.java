package dev.autopartition.internal.pace;

import dev.autopartition.TableName;
import dev.autopartition.internal.sql.Sql;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import org.jspecify.annotations.Nullable;

/**
 * What the pacer measures on a server, on a connection of its own: the latency of a query like the application's
 * (the newest row of the table by its first index, so it reads the pages the application reads) and the replay lag of
 * every standby streaming from the server.
 */
final class ServerProbe implements AutoCloseable {
    /** A probe stuck longer than this is read as that long: far over any budget, and the pacer slows down. */
    static final Duration PROBE_TIMEOUT = Duration.ofSeconds(5);

    private static final String FIRST_INDEX_COLUMN = """
            SELECT a.attname
            FROM pg_index i
            JOIN pg_class ic ON ic.oid = i.indexrelid
            JOIN pg_am am ON am.oid = ic.relam AND am.amname = 'btree'
            JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = i.indkey[0]
            WHERE i.indrelid = ?::regclass AND i.indisvalid AND i.indkey[0] <> 0
            ORDER BY i.indisprimary DESC, i.indisunique DESC, ic.relname
            LIMIT 1""";

    // A walsender of a base backup has no replay position; every standby and logical subscriber has one.
    private static final String STANDBYS = """
            SELECT pg_wal_lsn_diff(pg_current_wal_lsn(), '0/0')::bigint,
                   pg_wal_lsn_diff(r.replay_lsn, '0/0')::bigint,
                   (extract(epoch FROM r.replay_lag) * 1000000)::bigint,
                   greatest((extract(epoch FROM clock_timestamp() - r.reply_time) * 1000000)::bigint, 0)
            FROM (SELECT 1) AS one
            LEFT JOIN pg_stat_replication r ON r.replay_lsn IS NOT NULL AND r.state <> 'backup'""";

    private final ProbeConnections connections;
    private final Connection connection;
    private final PreparedStatement probe;
    private final boolean primary;
    private final LagEstimator lags = new LagEstimator();

    private ServerProbe(ProbeConnections connections, Connection connection, PreparedStatement probe, boolean primary) {
        this.connections = connections;
        this.connection = connection;
        this.probe = probe;
        this.primary = primary;
    }

    /** Opens the probe's connection and prepares the probe of {@code source}. */
    static ServerProbe open(ProbeConnections connections, TableName source) throws SQLException {
        Connection connection = connections.open();
        try {
            try (Statement st = connection.createStatement()) {
                st.execute("SET application_name = 'autopartition pacer'");
                st.execute("SET statement_timeout = " + PROBE_TIMEOUT.toMillis());
            }
            PreparedStatement probe = connection.prepareStatement(probeSql(connection, source));
            boolean primary;
            try (Statement st = connection.createStatement();
                    ResultSet rs = st.executeQuery("SELECT NOT pg_is_in_recovery()")) {
                primary = rs.next() && rs.getBoolean(1);
            }
            return new ServerProbe(connections, connection, probe, primary);
        } catch (SQLException | RuntimeException e) {
            connections.release(connection);
            throw e;
        }
    }

    private static String probeSql(Connection connection, TableName source) throws SQLException {
        try (PreparedStatement ps = connection.prepareStatement(FIRST_INDEX_COLUMN)) {
            ps.setString(1, source.quoted());
            try (ResultSet rs = ps.executeQuery()) {
                if (rs.next()) {
                    return "SELECT * FROM " + source.quoted() + " ORDER BY " + Sql.quote(rs.getString(1))
                            + " DESC LIMIT 1";
                }
            }
        } catch (SQLException e) {
            if (!"42P01".equals(e.getSQLState())) { // undefined_table
                throw e;
            }
            // The table is gone (renamed by a cutover that is being undone): the server's own round trip is
            // still a measure of how busy it is, and the standby lag still counts.
            return "SELECT 1";
        }
        return "SELECT * FROM " + source.quoted() + " LIMIT 1";
    }

    /** Runs the probe once and returns how long it took; a probe that timed out counts as {@link #PROBE_TIMEOUT}. */
    Duration latency() throws SQLException {
        long start = System.nanoTime();
        try (ResultSet rs = probe.executeQuery()) {
            while (rs.next()) {
                // read the row as the application would
            }
        } catch (SQLException e) {
            if (!"57014".equals(e.getSQLState())) { // query_canceled by statement_timeout
                throw e;
            }
            return PROBE_TIMEOUT;
        }
        return Duration.ofNanos(System.nanoTime() - start);
    }

    /** The largest replay lag of any standby, or null when there is none (or this server is itself a standby). */
    @Nullable
    Duration standbyLag() throws SQLException {
        if (!primary) {
            return null;
        }
        long now = System.nanoTime();
        Duration worst = null;
        try (Statement st = connection.createStatement();
                ResultSet rs = st.executeQuery(STANDBYS)) {
            boolean first = true;
            while (rs.next()) {
                if (first) {
                    lags.primaryAt(now, rs.getLong(1));
                    first = false;
                }
                long replay = rs.getLong(2);
                if (rs.wasNull()) {
                    continue;
                }
                long reportedMicros = rs.getLong(3);
                Duration reported = rs.wasNull() ? null : Duration.ofNanos(reportedMicros * 1000);
                // The standby's last reply told its replay position as of then: judged as of then, a standby
                // that replayed everything but has not said so yet is not read as falling behind.
                long replyAgeNanos = rs.getLong(4) * 1000;
                Duration lag = lags.lag(now - replyAgeNanos, replay, reported);
                if (worst == null || lag.compareTo(worst) > 0) {
                    worst = lag;
                }
            }
        }
        return worst;
    }

    @Override
    public void close() {
        try (Statement st = connection.createStatement()) {
            probe.close();
            // a pooled connection goes back as it came
            st.execute("RESET statement_timeout");
            st.execute("RESET application_name");
        } catch (SQLException e) {
            // the connection goes back anyway
        }
        try {
            connections.release(connection);
        } catch (SQLException e) {
            // nothing left to measure with; the work goes on
        }
    }
}
