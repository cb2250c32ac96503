package dev.autopartition.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The Citus cluster the test support starts: a coordinator and two workers, Citus in the test's database. */
class CitusServerIT {
    @RegisterExtension
    static final PostgresExtension pg = PostgresExtension.citus();

    @Test
    void theCoordinatorKnowsBothWorkersAndDistributesOverThem() throws SQLException {
        CitusServer cluster = pg.citusServer();
        assertThat(cluster.workerCount()).isEqualTo(2);
        pg.execute("CREATE TABLE t (id bigint PRIMARY KEY)", "SELECT create_distributed_table('t', 'id')");
        List<String> ports = strings(
                "SELECT DISTINCT nodeport::text FROM citus_shards WHERE table_name = 't'::regclass" + " ORDER BY 1");
        List<String> workers = new ArrayList<>();
        for (int i = 0; i < cluster.workerCount(); i++) {
            workers.add(Integer.toString(cluster.workerPort(i)));
        }
        assertThat(ports).containsExactlyInAnyOrderElementsOf(workers);
        assertThat(strings("SELECT count(*)::text FROM citus_shards WHERE table_name = 't'::regclass"))
                .containsExactly(Integer.toString(CitusServer.SHARD_COUNT));
        assertThat(pg.majorVersion())
                .as("Citus runs on the system's PostgreSQL 15")
                .isEqualTo(15);
        try (Connection worker =
                        cluster.workerDataSource(0, pg.database().name()).getConnection();
                Statement st = worker.createStatement();
                ResultSet rs = st.executeQuery("SELECT extversion FROM pg_extension WHERE extname = 'citus'")) {
            assertThat(rs.next())
                    .as("citus is created in the test database on the workers too")
                    .isTrue();
        }
    }

    private static List<String> strings(String sql) throws SQLException {
        List<String> result = new ArrayList<>();
        try (Connection c = pg.connection();
                Statement st = c.createStatement();
                ResultSet rs = st.executeQuery(sql)) {
            while (rs.next()) {
                result.add(rs.getString(1));
            }
        }
        return result;
    }
}
