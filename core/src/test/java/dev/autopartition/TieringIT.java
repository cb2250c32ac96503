package dev.autopartition;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.autopartition.testing.PostgresExtension;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Tiering on a real second tablespace: old partitions and their indexes move there, online and one by one, before
 * retention removes them; a partition already there is left alone; a missing tablespace is refused up front.
 */
class TieringIT {
    @RegisterExtension
    static final PostgresExtension pg = new PostgresExtension();

    /** Tablespaces belong to the whole cluster, which every test class shares: the name is this run's own. */
    private static final String COLD =
            "Cold \"Tier\" ü " + ProcessHandle.current().pid();

    private static Path directory;

    @BeforeAll
    static void createTablespace() throws IOException {
        // the embedded server runs as the current OS user, so a directory of ours can hold its files
        directory = Files.createTempDirectory("autopartition-tier");
        try (Connection c = pg.connection();
                Statement st = c.createStatement()) {
            st.execute("CREATE TABLESPACE " + quote(COLD) + " LOCATION '"
                    + directory.toString().replace("'", "''") + "'");
        } catch (SQLException e) {
            Assumptions.abort("tiering needs a second tablespace in a local directory the server can write ("
                    + directory + "), which this server cannot use (an external server?): " + e.getMessage());
        }
    }

    @AfterAll
    static void dropTablespace() throws IOException {
        try (Connection c = pg.connection();
                Statement st = c.createStatement()) {
            st.execute("DROP TABLE IF EXISTS " + quote("Sensor Readings") + ", blocked CASCADE");
            st.execute("DROP TABLESPACE IF EXISTS " + quote(COLD));
        } catch (SQLException e) {
            throw new IllegalStateException("cannot drop tablespace " + COLD + ": " + e.getMessage(), e);
        }
        try (Stream<Path> files = Files.walk(directory)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    private static String quote(String name) {
        return '"' + name.replace("\"", "\"\"") + '"';
    }

    private static List<String> placement(String parent) {
        return Fixtures.strings(pg, """
                SELECT c.relname || ' ' || coalesce(t.spcname, 'default')
                       || ' ' || coalesce((SELECT string_agg(coalesce(it.spcname, 'default'), ',' ORDER BY ic.relname)
                                             FROM pg_index x JOIN pg_class ic ON ic.oid = x.indexrelid
                                             LEFT JOIN pg_tablespace it ON it.oid = ic.reltablespace
                                            WHERE x.indrelid = c.oid), '-')
                  FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
                  LEFT JOIN pg_tablespace t ON t.oid = c.reltablespace
                 WHERE i.inhparent = '%s'::regclass ORDER BY c.relname
                """.replace("%s", parent.replace("'", "''")));
    }

    @Test
    void oldPartitionsMoveWithTheirIndexesBeforeRetentionRemovesThem() {
        pg.execute(
                "CREATE TABLE \"Sensor Readings\" (id bigint NOT NULL, ts timestamptz NOT NULL, v int,"
                        + " PRIMARY KEY (id, ts)) PARTITION BY RANGE (ts)",
                "CREATE INDEX \"Readings By V\" ON \"Sensor Readings\" (v)");
        Fixtures.MovableClock clock = new Fixtures.MovableClock("2022-01-06T12:00:00Z");
        AutoPartition ap = AutoPartition.configure(pg.dataSource()).clock(clock).build();
        AutoPartitionSpec spec = AutoPartitionSpec.builder(TableName.of("Sensor Readings"), "ts")
                .increment("1 day")
                .initialLowerBound("2022-01-01")
                .minimumAdvancePartitions(1)
                .maximumAdvancePartitions(1)
                .tierAfter("3 days")
                .tierTablespace(COLD)
                .retention("6 days")
                .build();
        TableReport declared = ap.autoPartition(spec);
        // Jan 6 12:00 - 3 days = Jan 3 12:00: Jan 1 and Jan 2 are past tierAfter
        assertThat(declared.tiered())
                .as("declaring runs maintenance, tiering included")
                .containsExactly("Sensor Readings_p20220101", "Sensor Readings_p20220102");
        assertThat(placement("\"Sensor Readings\""))
                .containsExactly(
                        "Sensor Readings_p20220101 " + COLD + " " + COLD + "," + COLD,
                        "Sensor Readings_p20220102 " + COLD + " " + COLD + "," + COLD,
                        "Sensor Readings_p20220103 default default,default",
                        "Sensor Readings_p20220104 default default,default",
                        "Sensor Readings_p20220105 default default,default",
                        "Sensor Readings_p20220106 default default,default",
                        "Sensor Readings_p20220107 default default,default");
        pg.execute("INSERT INTO \"Sensor Readings\" SELECT g, '2022-01-01'::timestamptz + g * interval '1 hour', g"
                + " FROM generate_series(0, 140) g");
        assertThat(Fixtures.number(pg, "SELECT count(*) FROM \"Sensor Readings\" WHERE ts < '2022-01-03'"))
                .as("rows in moved partitions stay readable and writable through the parent")
                .isEqualTo(48);

        clock.set("2022-01-08T12:00:00Z");
        Plan plan = ap.plan(spec.table());
        assertThat(plan.toSql())
                .as("the dry run shows the moves, each relation with its own lock")
                .contains("ALTER TABLE \"public\".\"Sensor Readings_p20220103\" SET TABLESPACE " + quote(COLD))
                .contains("ALTER TABLE \"public\".\"Sensor Readings_p20220104\" SET TABLESPACE " + quote(COLD))
                .contains("ALTER INDEX \"public\".")
                .contains("ACCESS EXCLUSIVE on the partition \"public\".\"Sensor Readings_p20220103\" only")
                .doesNotContain("Sensor Readings_p20220102\" SET TABLESPACE");
        TableReport report = ap.maintain(spec.table()).tables().get(0);
        assertThat(report.errors()).isEmpty();
        assertThat(report.tiered()).containsExactly("Sensor Readings_p20220103", "Sensor Readings_p20220104");
        assertThat(report.dropped())
                .as("Jan 8 12:00 - 6 days: Jan 1 is past retention, after having been tiered")
                .containsExactly("Sensor Readings_p20220101");
        assertThat(placement("\"Sensor Readings\"").get(0))
                .isEqualTo("Sensor Readings_p20220102 " + COLD + " " + COLD + "," + COLD);
        assertThat(Fixtures.number(pg, "SELECT count(*) FROM \"Sensor Readings\""))
                .isEqualTo(141 - 24);
        assertThat(Fixtures.strings(
                        pg,
                        "SELECT partition_name FROM autopartition.managed_partition WHERE tablespace IS NOT NULL"
                                + " AND partition_name LIKE 'Sensor%' ORDER BY 1"))
                .as("the catalog records where the engine moved them")
                .containsExactly("Sensor Readings_p20220102", "Sensor Readings_p20220103", "Sensor Readings_p20220104");
        assertThat(Fixtures.number(
                        pg,
                        "SELECT sum(tiered) FROM autopartition.maintenance_run WHERE table_name = 'Sensor Readings'"))
                .isEqualTo(4);

        assertThat(ap.plan(spec.table()).steps())
                .as("idempotent: what is in the tablespace is not moved again")
                .isEmpty();
        assertThat(ap.maintain(spec.table()).tables()).isEmpty();
    }

    @Test
    void aMoveWaitsAtMostTheLockTimeoutBehindAReaderAndNeverLocksTheParent() throws Exception {
        pg.execute("CREATE TABLE blocked (ts timestamptz NOT NULL) PARTITION BY RANGE (ts)");
        Fixtures.MovableClock clock = new Fixtures.MovableClock("2022-01-02T12:00:00Z");
        AutoPartition ap = AutoPartition.configure(pg.dataSource())
                .clock(clock)
                .lockTimeout(Duration.ofMillis(100))
                .attempts(2)
                .backoff(Duration.ofMillis(10), Duration.ofMillis(20))
                .build();
        ap.autoPartition(AutoPartitionSpec.builder(TableName.of("blocked"), "ts")
                .increment("1 day")
                .initialLowerBound("2022-01-01")
                .maximumAdvancePartitions(3)
                .tierAfter("1 day")
                .tierTablespace(COLD)
                .build());
        pg.execute("INSERT INTO blocked VALUES ('2022-01-01 10:00+00')");
        clock.set("2022-01-03T12:00:00Z"); // Jan 1 is now past tierAfter
        try (Connection reader = pg.connection()) {
            reader.setAutoCommit(false);
            try (Statement st = reader.createStatement()) {
                st.executeQuery("SELECT count(*) FROM blocked_p20220101").close(); // holds ACCESS SHARE
                TableReport report =
                        ap.maintain(TableName.of("blocked")).tables().get(0);
                assertThat(report.tiered())
                        .as("nothing moved while the reader holds the partition")
                        .isEmpty();
                assertThat(report.errors())
                        .singleElement()
                        .asString()
                        .contains("blocked_p20220101")
                        .contains("could not get a lock within 100 ms on any of 2 tries");
            }
            reader.rollback();
        }
        assertThat(placement("blocked").get(0)).isEqualTo("blocked_p20220101 default -");

        // what SET TABLESPACE on a partition locks, seen from another session while it is under way
        try (Connection mover = pg.connection();
                Statement st = mover.createStatement()) {
            mover.setAutoCommit(false);
            st.execute("ALTER TABLE blocked_p20220101 SET TABLESPACE " + quote(COLD));
            assertThat(Fixtures.strings(
                            pg,
                            "SELECT mode FROM pg_locks WHERE locktype = 'relation' AND relation = 'blocked'::regclass"
                                    + " AND granted"))
                    .as("the parent is not locked by the move of one of its partitions")
                    .doesNotContain("AccessExclusiveLock");
            mover.rollback();
        }
        TableReport retried = ap.maintain(TableName.of("blocked")).tables().get(0);
        assertThat(retried.tiered()).as("the next run moves it").containsExactly("blocked_p20220101");
        assertThat(Fixtures.number(pg, "SELECT count(*) FROM blocked")).isEqualTo(1);
    }

    @Test
    void aTablespaceThatDoesNotExistIsRefusedBeforeAnythingChanges() {
        pg.execute("CREATE TABLE nowhere (ts timestamptz NOT NULL) PARTITION BY RANGE (ts)");
        AutoPartition ap = AutoPartition.configure(pg.dataSource()).build();
        assertThatThrownBy(() -> ap.autoPartition(AutoPartitionSpec.builder(TableName.of("nowhere"), "ts")
                        .increment("1 day")
                        .tierAfter("30 days")
                        .tierTablespace("no such place")
                        .build()))
                .isInstanceOf(InvalidSpecException.class)
                .hasMessageContaining("Tier tablespace \"no such place\" of \"public\".\"nowhere\" does not exist")
                .hasMessageContaining("Fix: CREATE TABLESPACE");
        assertThat(Fixtures.partitionNames(pg, "nowhere")).isEmpty();
        pg.execute("CREATE TABLE plain_nowhere (id bigint PRIMARY KEY, ts timestamptz NOT NULL)");
        assertThatThrownBy(() -> ap.planMigration(
                        MigrationSpec.builder(AutoPartitionSpec.builder(TableName.of("plain_nowhere"), "ts")
                                        .increment("1 day")
                                        .tierAfter("30 days")
                                        .tierTablespace("no such place")
                                        .build())
                                .build()))
                .as("a migration declares its rule at the cutover; the tablespace is checked before it starts")
                .isInstanceOf(InvalidSpecException.class)
                .hasMessageContaining(
                        "Tier tablespace \"no such place\" of \"public\".\"plain_nowhere\" does not exist");
        assertThat(Fixtures.strings(pg, "SELECT table_name FROM autopartition.managed_table"))
                .doesNotContain("nowhere");
    }
}
