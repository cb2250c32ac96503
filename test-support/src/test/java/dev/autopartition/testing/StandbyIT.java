package dev.autopartition.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class StandbyIT {
    @RegisterExtension
    static final PostgresExtension pg = new PostgresExtension();

    @Test
    void aStandbyReplaysThePrimarysWritesAndStopsWhenPaused() throws Exception {
        pg.execute("CREATE TABLE t (id int)", "INSERT INTO t VALUES (1)");
        try (Standby standby = Standby.startOrSkip(pg.database().server())) {
            assertThat(awaitRows(standby, 1))
                    .as("rows on the standby after the backup")
                    .isEqualTo(1);
            standby.pauseReplay();
            pg.execute("INSERT INTO t VALUES (2)");
            Thread.sleep(1500);
            assertThat(rows(standby)).as("rows on a paused standby").isEqualTo(1);
            assertThat(replayBehindBytes(standby)).as("replay lag in bytes").isPositive();
            standby.resumeReplay();
            assertThat(awaitRows(standby, 2)).as("rows after resuming").isEqualTo(2);
        }
        try (Connection c = pg.connection();
                Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("SELECT count(*) FROM pg_replication_slots")) {
            rs.next();
            assertThat(rs.getLong(1)).as("slots left after close").isZero();
        }
    }

    private static long awaitRows(Standby standby, long expected) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        long rows = rows(standby);
        while (rows != expected && System.nanoTime() < deadline) {
            Thread.sleep(100);
            rows = rows(standby);
        }
        return rows;
    }

    private static long rows(Standby standby) throws SQLException {
        try (Connection c = standby.dataSource(pg.database().name()).getConnection();
                Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("SELECT count(*) FROM t")) {
            rs.next();
            return rs.getLong(1);
        } catch (SQLException e) {
            if ("42P01".equals(e.getSQLState())) {
                return -1; // the table is not replayed yet
            }
            throw e;
        }
    }

    private static long replayBehindBytes(Standby standby) throws SQLException {
        try (Connection c = pg.connection();
                Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("SELECT pg_wal_lsn_diff(pg_current_wal_lsn(), replay_lsn)::bigint"
                        + " FROM pg_stat_replication WHERE application_name = '" + standby.name() + "'")) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
