package dev.autopartition;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.autopartition.testing.CitusServer;
import dev.autopartition.testing.PostgresExtension;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Rules, maintenance and retention on distributed tables of a three-node Citus cluster (a coordinator and two
 * workers, started by the test support). Every partition the engine creates must be a distributed table co-located
 * with its parent, with shards on both workers.
 */
class CitusIT {
    @RegisterExtension
    static final PostgresExtension pg = PostgresExtension.citus();

    private static final int TENANTS = 8;

    private static AutoPartition engine(Fixtures.MovableClock clock) {
        return engine(clock, "autopartition");
    }

    /** Tests share the class's database: each maintains only its own table, or has a catalog of its own. */
    private static AutoPartition engine(Fixtures.MovableClock clock, String catalogSchema) {
        return AutoPartition.configure(pg.dataSource())
                .catalogSchema(catalogSchema)
                .clock(clock)
                .lockTimeout(Duration.ofMillis(300))
                .attempts(3)
                .backoff(Duration.ofMillis(20), Duration.ofMillis(100))
                .build();
    }

    private static void distributedEvents(String name) {
        pg.execute(
                "CREATE TABLE " + name + " (tenant_id bigint NOT NULL, at timestamptz NOT NULL, payload text)"
                        + " PARTITION BY RANGE (at)",
                "SELECT create_distributed_table('" + name + "', 'tenant_id')");
    }

    private static AutoPartitionSpec daily(String table, int min, int max, String retention) {
        return AutoPartitionSpec.builder(TableName.of(table), "at")
                .increment("1 day")
                .minimumAdvancePartitions(min)
                .maximumAdvancePartitions(max)
                .retention(retention)
                .build();
    }

    @Test
    void declaresMaintainsAndRetainsADistributedTableAcrossClockSteps() throws Exception {
        distributedEvents("events");
        Fixtures.MovableClock clock = new Fixtures.MovableClock("2022-01-10T12:00:00Z");
        AutoPartition ap = engine(clock);
        TableReport declared = ap.autoPartition(daily("events", 2, 4, "3 days"));
        assertThat(declared.errors()).as(declared.toString()).isEmpty();
        assertThat(Fixtures.partitionNames(pg, "events"))
                .containsExactly(
                        "events_p20220110",
                        "events_p20220111",
                        "events_p20220112",
                        "events_p20220113",
                        "events_p20220114");
        assertDistributedLikeTheParent("events");
        assertRowsGoToEveryPartition("events", 1);

        long inserted = TENANTS * 5L;
        for (String now : List.of("2022-01-12T12:00:00Z", "2022-01-15T12:00:00Z", "2022-01-20T12:00:00Z")) {
            clock.set(now);
            MaintenanceReport report = ap.maintain(TableName.of("events"));
            assertThat(report.hasErrors()).as(now + ": " + report).isFalse();
            assertDistributedLikeTheParent("events");
            inserted += assertRowsGoToEveryPartition("events", 1);
        }
        // on the 20th, 3 days of retention keep the 17th to the 19th, the 20th, and 4 ahead
        assertThat(Fixtures.partitionNames(pg, "events"))
                .containsExactly(
                        "events_p20220117",
                        "events_p20220118",
                        "events_p20220119",
                        "events_p20220120",
                        "events_p20220121",
                        "events_p20220122",
                        "events_p20220123",
                        "events_p20220124");
        assertThat(Fixtures.number(pg, "SELECT count(*) FROM citus_shards WHERE table_name::text = 'events_p20220110'"))
                .as("a dropped partition's shards are gone from Citus's metadata")
                .isZero();
        for (int worker = 0; worker < 2; worker++) {
            assertThat(onWorker(worker, "SELECT count(*) FROM pg_class WHERE relname LIKE 'events_p20220110%'"))
                    .as("no table of a dropped partition stays on worker %d", worker)
                    .isZero();
        }
        assertThat(inserted).isPositive();
        assertThat(Fixtures.number(pg, "SELECT count(*) FROM events WHERE at >= '2022-01-17'"))
                .as("every row written into a kept partition reads back through the coordinator")
                .isEqualTo(Fixtures.number(pg, "SELECT count(*) FROM events"));
    }

    @Test
    void eightMaintainersAtOnceCreateAndRemoveEachPartitionExactlyOnce() throws Exception {
        List<String> tables = new ArrayList<>();
        Fixtures.MovableClock clock = new Fixtures.MovableClock("2022-01-10T12:00:00Z");
        AutoPartition declaring = engine(clock, "busy_catalog");
        for (int i = 0; i < 4; i++) {
            String name = "busy_" + i;
            distributedEvents(name);
            tables.add(name);
            declaring.autoPartition(daily(name, 2, 10, "3 days"));
        }
        clock.set("2022-01-20T12:00:00Z"); // each table: 10 new partitions, and the 10th to the 16th go
        ExecutorService pool = Executors.newFixedThreadPool(8);
        CountDownLatch start = new CountDownLatch(1);
        List<Future<MaintenanceReport>> runs = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            AutoPartition maintainer = engine(clock, "busy_catalog");
            runs.add(pool.submit(() -> {
                start.await();
                return maintainer.maintain();
            }));
        }
        start.countDown();
        int created = 0;
        int removed = 0;
        try {
            for (Future<MaintenanceReport> run : runs) {
                MaintenanceReport report = run.get(180, TimeUnit.SECONDS);
                assertThat(report.hasErrors()).as(report.toString()).isFalse();
                created += report.created();
                removed += report.removed();
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(created).as("each partition created exactly once").isEqualTo(4 * 10);
        assertThat(removed).as("each old partition removed exactly once").isEqualTo(4 * 7);
        for (String table : tables) {
            List<String> expected = new ArrayList<>();
            for (int day = 17; day <= 30; day++) {
                expected.add(table + "_p202201" + day);
            }
            assertThat(Fixtures.partitionNames(pg, table)).as(table).isEqualTo(expected);
            assertDistributedLikeTheParent(table);
            assertRowsGoToEveryPartition(table, 1);
        }
    }

    @Test
    void retentionDetachKeepsTheDetachedPartitionDistributed() throws Exception {
        distributedEvents("kept");
        Fixtures.MovableClock clock = new Fixtures.MovableClock("2022-01-10T12:00:00Z");
        AutoPartition ap = engine(clock);
        ap.autoPartition(AutoPartitionSpec.builder(TableName.of("kept"), "at")
                .increment("1 day")
                .minimumAdvancePartitions(1)
                .maximumAdvancePartitions(2)
                .retention("1 day")
                .retentionAction(RetentionAction.DETACH)
                .build());
        assertRowsGoToEveryPartition("kept", 3);
        clock.set("2022-01-13T12:00:00Z");
        MaintenanceReport report = ap.maintain(TableName.of("kept"));
        assertThat(report.hasErrors()).as(report.toString()).isFalse();
        assertThat(Fixtures.partitionNames(pg, "kept")).doesNotContain("kept_p20220110", "kept_p20220111");
        assertThat(Fixtures.strings(
                        pg,
                        "SELECT logicalrelid::text FROM pg_dist_partition"
                                + " WHERE logicalrelid::text IN ('kept_p20220110', 'kept_p20220111') ORDER BY 1"))
                .as("a detached partition stays a distributed table of its own")
                .containsExactly("kept_p20220110", "kept_p20220111");
        assertThat(Fixtures.number(pg, "SELECT count(*) FROM kept_p20220110"))
                .as("and keeps its rows")
                .isEqualTo(3L * TENANTS);
    }

    @Test
    void aRuleOnAPlainTableKeepsWorkingAfterTheTableIsDistributed() throws Exception {
        pg.execute("CREATE TABLE later (tenant_id bigint NOT NULL, at timestamptz NOT NULL, payload text)");
        Fixtures.MovableClock clock = new Fixtures.MovableClock("2022-01-10T12:00:00Z");
        AutoPartition ap = engine(clock);
        ap.autoPartition(daily("later", 1, 3, "2 days"));
        pg.execute("SELECT create_distributed_table('later', 'tenant_id')");
        assertDistributedLikeTheParent("later");
        clock.set("2022-01-14T12:00:00Z");
        MaintenanceReport report = ap.maintain(TableName.of("later"));
        assertThat(report.hasErrors()).as(report.toString()).isFalse();
        assertThat(report.created()).as(report.toString()).isEqualTo(4);
        assertThat(report.removed()).as(report.toString()).isEqualTo(2);
        assertDistributedLikeTheParent("later");
        assertRowsGoToEveryPartition("later", 2);
    }

    @Test
    void statusAndHealthShowTheDistribution() {
        distributedEvents("shown");
        pg.execute("CREATE TABLE local_one (at timestamptz NOT NULL) PARTITION BY RANGE (at)");
        Fixtures.MovableClock clock = new Fixtures.MovableClock("2022-01-10T12:00:00Z");
        AutoPartition ap = engine(clock);
        ap.autoPartition(daily("shown", 1, 2, "3 days"));
        ap.autoPartition(daily("local_one", 1, 2, "3 days"));
        long group = Fixtures.number(
                pg, "SELECT colocationid FROM pg_dist_partition WHERE logicalrelid = 'shown'::regclass");
        TableStatus shown = ap.status().stream()
                .filter(s -> s.table().equals(TableName.of("shown")))
                .findFirst()
                .orElseThrow();
        assertThat(shown.placement()).isEqualTo("distributed by \"tenant_id\" (co-location group " + group + ")");
        TableStatus local = ap.status().stream()
                .filter(s -> s.table().equals(TableName.of("local_one")))
                .findFirst()
                .orElseThrow();
        assertThat(local.placement()).as("a table Citus does not know").isNull();
        HealthReport health = ap.health(RunHistory.catalog(ap));
        assertThat(health.tables())
                .filteredOn(t -> t.table().equals(TableName.of("shown")))
                .singleElement()
                .satisfies(t -> assertThat(t.status().placement()).startsWith("distributed by"));
    }

    @Test
    void refusesToConvertADistributedPlainTable() {
        pg.execute(
                "CREATE TABLE flat (tenant_id bigint NOT NULL, at timestamptz NOT NULL)",
                "SELECT create_distributed_table('flat', 'tenant_id')");
        AutoPartition ap = engine(new Fixtures.MovableClock("2022-01-10T12:00:00Z"));
        assertThatThrownBy(() -> ap.autoPartition(daily("flat", 1, 2, "3 days")))
                .isInstanceOf(InvalidSpecException.class)
                .hasMessageContaining("\"public\".\"flat\" is a Citus table (distributed by \"tenant_id\"")
                .hasMessageContaining("undistribute_table")
                .hasMessageContaining("create_distributed_table");
        assertThat(Fixtures.number(pg, "SELECT count(*) FROM pg_dist_partition WHERE logicalrelid = 'flat'::regclass"))
                .as("the table is left as it was")
                .isEqualTo(1);
    }

    @Test
    void refusesADefaultPartitionOnADistributedTable() {
        distributedEvents("with_default");
        AutoPartition ap = engine(new Fixtures.MovableClock("2022-01-10T12:00:00Z"));
        assertThatThrownBy(() -> ap.autoPartition(AutoPartitionSpec.builder(TableName.of("with_default"), "at")
                        .increment("1 day")
                        .defaultPartition(true)
                        .build()))
                .isInstanceOf(InvalidSpecException.class)
                .hasMessageContaining("\"public\".\"with_default\" is a Citus distributed table")
                .hasMessageContaining("Fix: turn defaultPartition off");
        pg.execute("CREATE TABLE with_default_rest PARTITION OF with_default DEFAULT");
        assertThatThrownBy(() -> ap.autoPartition(daily("with_default", 1, 2, "3 days")))
                .as("an existing default partition is refused too")
                .isInstanceOf(InvalidSpecException.class)
                .hasMessageContaining("DETACH PARTITION");
        assertThat(Fixtures.partitionNames(pg, "with_default")).containsExactly("with_default_rest");
    }

    @Test
    void aCitusLocalPartitionedTableIsMaintained() throws Exception {
        pg.execute(
                "CREATE TABLE on_coordinator (at timestamptz NOT NULL, v int) PARTITION BY RANGE (at)",
                "SELECT citus_add_local_table_to_metadata('on_coordinator')");
        Fixtures.MovableClock clock = new Fixtures.MovableClock("2022-01-10T12:00:00Z");
        AutoPartition ap = engine(clock);
        ap.autoPartition(daily("on_coordinator", 1, 2, "2 days"));
        clock.set("2022-01-14T12:00:00Z");
        MaintenanceReport report = ap.maintain(TableName.of("on_coordinator"));
        assertThat(report.hasErrors()).as(report.toString()).isFalse();
        assertThat(report.created()).isEqualTo(4);
        assertThat(report.removed()).isEqualTo(2);
        assertThat(Fixtures.strings(
                        pg,
                        "SELECT DISTINCT partmethod::text || repmodel::text || colocationid FROM pg_dist_partition"
                                + " WHERE logicalrelid::text LIKE 'on\\_coordinator%'"))
                .as("parent and partitions are Citus local tables")
                .containsExactly("ns0");
        assertThat(ap.status().stream()
                        .filter(t -> t.table().equals(TableName.of("on_coordinator")))
                        .findFirst()
                        .orElseThrow()
                        .placement())
                .isEqualTo("Citus local");
    }

    /** Citus itself refuses the engine on a worker, before anything changes, and its message names the fix. */
    @Test
    void onAWorkerCitusRefusesTheEngineAndSaysToUseTheCoordinator() {
        distributedEvents("from_worker");
        // a schema made on the coordinator reaches the workers; a worker may not even re-create it
        pg.execute("CREATE SCHEMA worker_catalog");
        AutoPartition onWorker = AutoPartition.configure(
                        pg.citusServer().workerDataSource(0, pg.database().name()))
                .catalogSchema("worker_catalog")
                .build();
        assertThatThrownBy(() -> onWorker.autoPartition(daily("from_worker", 1, 2, "3 days")))
                .isInstanceOf(StatementFailedException.class)
                .hasMessageContaining("operation is not allowed on this node")
                .hasMessageContaining("Connect to the coordinator");
        assertThatThrownBy(onWorker::maintain).hasMessageContaining("Connect to the coordinator");
        assertThat(Fixtures.partitionNames(pg, "from_worker"))
                .as("nothing was created")
                .isEmpty();
    }

    /**
     * The migration of a distributed plain table is refused while writers keep writing through the coordinator: the
     * refusal names the table and the fix, changes nothing, and loses no row.
     */
    @Test
    void refusesToMigrateADistributedTableWhileWritersLoseNothing() throws Exception {
        pg.execute(
                "CREATE TABLE orders (id bigserial, tenant_id bigint NOT NULL, at timestamptz NOT NULL DEFAULT now(),"
                        + " PRIMARY KEY (tenant_id, id))",
                "SELECT create_distributed_table('orders', 'tenant_id')");
        String triggers = "SELECT count(*) FROM pg_trigger WHERE tgrelid = 'orders'::regclass";
        long citusTriggers = Fixtures.number(pg, triggers);
        AtomicBoolean stop = new AtomicBoolean();
        AtomicLong written = new AtomicLong();
        ExecutorService pool = Executors.newFixedThreadPool(2);
        List<Future<?>> writers = new ArrayList<>();
        for (int w = 0; w < 2; w++) {
            int writer = w;
            writers.add(pool.submit(() -> {
                try (Connection c = pg.connection();
                        PreparedStatement ps = c.prepareStatement("INSERT INTO orders (tenant_id) VALUES (?)")) {
                    for (long i = 0; !stop.get() || i < 50; i++) {
                        ps.setLong(1, writer * 1000L + i % TENANTS);
                        ps.executeUpdate();
                        written.incrementAndGet();
                    }
                }
                return null;
            }));
        }
        try {
            AutoPartition ap = engine(new Fixtures.MovableClock("2022-01-10T12:00:00Z"));
            MigrationSpec spec =
                    MigrationSpec.builder(daily("orders", 1, 2, "30 days")).build();
            assertThatThrownBy(() -> ap.migrateToPartitioned(spec))
                    .isInstanceOf(InvalidSpecException.class)
                    .hasMessageContaining("\"public\".\"orders\" is a Citus table (distributed by \"tenant_id\"")
                    .hasMessageContaining("migrateToPartitioned")
                    .hasMessageContaining("create_distributed_table");
            assertThatThrownBy(() -> ap.planMigration(spec))
                    .as("the dry run refuses it the same way")
                    .hasMessageContaining("is a Citus table");
        } finally {
            stop.set(true);
            for (Future<?> writer : writers) {
                writer.get(60, TimeUnit.SECONDS);
            }
            pool.shutdown();
        }
        assertThat(Fixtures.number(pg, "SELECT count(*) FROM orders"))
                .as("every row the writers wrote is there")
                .isEqualTo(written.get());
        assertThat(Fixtures.number(pg, triggers))
                .as("no capture trigger was left behind (Citus keeps its own truncate trigger)")
                .isEqualTo(citusTriggers);
        assertThat(Fixtures.number(
                        pg, "SELECT count(*) FROM pg_dist_partition WHERE logicalrelid = 'orders'::regclass"))
                .isEqualTo(1);
    }

    /**
     * A reader on a worker holds a shard of the parent: the plain detach retention needs there must give up after
     * the lock timeout (the executor propagates it to the workers), not queue an ACCESS EXCLUSIVE request that would
     * stall the shard, and creation (SHARE UPDATE EXCLUSIVE everywhere) goes on beside the reader.
     */
    @Test
    void lockTimeoutReachesTheWorkersAndCreationPassesAReaderOnAShard() throws Exception {
        distributedEvents("guarded");
        Fixtures.MovableClock clock = new Fixtures.MovableClock("2022-01-10T12:00:00Z");
        AutoPartition ap = engine(clock);
        ap.autoPartition(daily("guarded", 1, 2, "1 day"));
        String shard = Fixtures.string(
                pg,
                "SELECT shard_name FROM citus_shards WHERE table_name = 'guarded'::regclass AND nodeport = "
                        + pg.citusServer().workerPort(0) + " ORDER BY shardid LIMIT 1");
        try (Connection reader = pg.citusServer()
                        .workerDataSource(0, pg.database().name())
                        .getConnection();
                Statement st = reader.createStatement()) {
            st.execute("SET citus.override_table_visibility = off");
            reader.setAutoCommit(false);
            st.executeQuery("SELECT count(*) FROM " + shard).close();
            clock.set("2022-01-14T12:00:00Z");
            ExecutorService pool = Executors.newSingleThreadExecutor();
            try {
                MaintenanceReport report =
                        pool.submit(() -> ap.maintain(TableName.of("guarded"))).get(60, TimeUnit.SECONDS);
                assertThat(report.created()).as(report.toString()).isEqualTo(4);
                assertThat(report.removed()).as(report.toString()).isZero();
                assertThat(report.tables().get(0).errors())
                        .as("the detach gave up on the worker's lock within the lock timeout")
                        .isNotEmpty()
                        .allMatch(e -> e.contains("could not get a lock"));
            } finally {
                pool.shutdownNow();
                reader.rollback();
            }
        }
        MaintenanceReport after = ap.maintain(TableName.of("guarded"));
        assertThat(after.hasErrors()).as(after.toString()).isFalse();
        assertThat(after.removed()).as("with the reader gone, retention runs").isEqualTo(3);
        assertDistributedLikeTheParent("guarded");
    }

    /**
     * A long reader on the coordinator: creation (standalone table, then ATTACH: SHARE UPDATE EXCLUSIVE on the parent)
     * goes on beside it, where {@code create_time_partitions} (CREATE TABLE ... PARTITION OF: ACCESS EXCLUSIVE on the
     * parent) cannot get its lock.
     */
    @Test
    void creationGoesOnBesideALongReaderWhereCreateTimePartitionsCannot() throws Exception {
        distributedEvents("read_long");
        distributedEvents("read_long_citus");
        Fixtures.MovableClock clock = new Fixtures.MovableClock("2022-01-10T12:00:00Z");
        AutoPartition ap = engine(clock);
        ap.autoPartition(daily("read_long", 1, 2, "30 days"));
        pg.execute("SELECT create_time_partitions('read_long_citus', '1 day', '2022-01-13 00:00+00',"
                + " '2022-01-10 00:00+00')");
        try (Connection reader = pg.connection();
                Statement st = reader.createStatement()) {
            reader.setAutoCommit(false);
            st.executeQuery("SELECT count(*) FROM read_long").close();
            st.executeQuery("SELECT count(*) FROM read_long_citus").close();
            clock.set("2022-01-14T12:00:00Z");
            MaintenanceReport report = ap.maintain(TableName.of("read_long"));
            assertThat(report.hasErrors()).as(report.toString()).isFalse();
            assertThat(report.created()).isEqualTo(4);
            try (Connection other = pg.connection();
                    Statement citus = other.createStatement()) {
                citus.execute("SET lock_timeout = '300ms'");
                assertThatThrownBy(() -> citus.execute("SELECT create_time_partitions('read_long_citus', '1 day',"
                                + " '2022-01-17 00:00+00', '2022-01-10 00:00+00')"))
                        .as("CREATE TABLE ... PARTITION OF waits for ACCESS EXCLUSIVE on the coordinator's parent")
                        .hasMessageContaining("lock timeout");
            }
            reader.rollback();
        }
        assertDistributedLikeTheParent("read_long");
    }

    @Test
    void theInDatabaseProcedureMaintainsADistributedTable() throws Exception {
        distributedEvents("by_db");
        Fixtures.MovableClock clock = new Fixtures.MovableClock("2022-01-10T12:00:00Z");
        AutoPartition ap = engine(clock);
        ap.autoPartition(daily("by_db", 1, 2, "2 days"));
        ap.installDatabaseMaintenance();
        pg.execute("CALL autopartition.run_maintenance(p_table => 'by_db', p_now => '2022-01-15T12:00:00Z')");
        assertThat(Fixtures.partitionNames(pg, "by_db"))
                .containsExactly(
                        "by_db_p20220113", "by_db_p20220114", "by_db_p20220115", "by_db_p20220116", "by_db_p20220117");
        assertDistributedLikeTheParent("by_db");
        assertRowsGoToEveryPartition("by_db", 1);
    }

    /** The in-database procedure's lock_timeout reaches the workers too. */
    @Test
    void theInDatabaseProcedureGivesUpOnAWorkersLockWithinTheTimeout() throws Exception {
        distributedEvents("db_guarded");
        AutoPartition ap = engine(new Fixtures.MovableClock("2022-01-10T12:00:00Z"));
        ap.autoPartition(daily("db_guarded", 1, 2, "1 day"));
        ap.installDatabaseMaintenance();
        String shard = Fixtures.string(
                pg,
                "SELECT shard_name FROM citus_shards WHERE table_name = 'db_guarded'::regclass AND nodeport = "
                        + pg.citusServer().workerPort(1) + " ORDER BY shardid LIMIT 1");
        try (Connection reader = pg.citusServer()
                        .workerDataSource(1, pg.database().name())
                        .getConnection();
                Statement st = reader.createStatement()) {
            st.execute("SET citus.override_table_visibility = off");
            reader.setAutoCommit(false);
            st.executeQuery("SELECT count(*) FROM " + shard).close();
            ExecutorService pool = Executors.newSingleThreadExecutor();
            try {
                pool.submit(() -> pg.execute("CALL autopartition.run_maintenance(p_table => 'db_guarded',"
                                + " p_now => '2022-01-14T12:00:00Z')"))
                        .get(60, TimeUnit.SECONDS);
            } finally {
                pool.shutdownNow();
                reader.rollback();
            }
        }
        assertThat(Fixtures.string(
                        pg,
                        "SELECT errors FROM autopartition.maintenance_run WHERE table_name = 'db_guarded'"
                                + " AND run_by = 'database'"))
                .as("the detach gave up on the worker's lock and was recorded")
                .contains("could not get a lock");
        assertThat(Fixtures.partitionNames(pg, "db_guarded"))
                .as("creation went on beside the reader")
                .contains("db_guarded_p20220114", "db_guarded_p20220115");
    }

    @Test
    void explicitDropPartitionWorksOnADistributedTable() {
        distributedEvents("explicit");
        AutoPartition ap = engine(new Fixtures.MovableClock("2022-01-10T12:00:00Z"));
        ap.autoPartition(daily("explicit", 1, 2, "30 days"));
        ap.dropPartition(TableName.of("explicit_p20220112"));
        assertThat(Fixtures.partitionNames(pg, "explicit")).containsExactly("explicit_p20220110", "explicit_p20220111");
        assertThat(Fixtures.number(
                        pg, "SELECT count(*) FROM citus_shards WHERE table_name::text = 'explicit_p20220112'"))
                .isZero();
    }

    /**
     * Every partition of the parent is a hash-distributed table in the parent's co-location group, with the same
     * distribution column, and has shards on both workers.
     */
    private static void assertDistributedLikeTheParent(String parent) {
        List<String> partitions = Fixtures.partitionNames(pg, parent);
        assertThat(partitions).isNotEmpty();
        String expected = Fixtures.string(
                pg,
                "SELECT partmethod::text || ' ' || colocationid || ' ' || column_to_column_name(logicalrelid, partkey)"
                        + " FROM pg_dist_partition WHERE logicalrelid = '" + parent + "'::regclass");
        assertThat(expected).as(parent + " is distributed").isNotNull().startsWith("h ");
        Set<Integer> workers = new HashSet<>();
        for (int i = 0; i < pg.citusServer().workerCount(); i++) {
            workers.add(pg.citusServer().workerPort(i));
        }
        for (String partition : partitions) {
            assertThat(Fixtures.string(
                            pg,
                            "SELECT partmethod::text || ' ' || colocationid || ' ' || column_to_column_name(logicalrelid,"
                                    + " partkey) FROM pg_dist_partition WHERE logicalrelid = '" + partition
                                    + "'::regclass"))
                    .as(partition + " is distributed and co-located like " + parent)
                    .isEqualTo(expected);
            assertThat(Fixtures.strings(
                            pg,
                            "SELECT DISTINCT nodeport::text FROM citus_shards WHERE table_name = '" + partition
                                    + "'::regclass"))
                    .as(partition + " has shards on both workers")
                    .containsExactlyInAnyOrderElementsOf(
                            workers.stream().map(String::valueOf).toList());
        }
    }

    /**
     * Inserts {@code perTenant} rows for each tenant into every partition through the coordinator (one statement per
     * partition, at the partition's lower bound) and reads each partition's count back.
     */
    private static long assertRowsGoToEveryPartition(String parent, int perTenant) throws SQLException {
        long total = 0;
        try (Connection c = pg.connection();
                Statement st = c.createStatement()) {
            List<String> lowers = new ArrayList<>();
            try (ResultSet rs = st.executeQuery("""
                    SELECT c.relname, (regexp_match(pg_get_expr(c.relpartbound, c.oid), 'FROM \\(''([^'']+)''\\)'))[1]
                      FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
                     WHERE i.inhparent = '%s'::regclass ORDER BY 1
                    """.replace("%s", parent))) {
                while (rs.next()) {
                    lowers.add(rs.getString(1) + "\t" + rs.getString(2));
                }
            }
            for (String line : lowers) {
                String[] parts = line.split("\t", -1);
                long before = count(st, parts[0]);
                st.executeUpdate("INSERT INTO " + parent + " (tenant_id, at, payload)"
                        + " SELECT t, '" + parts[1] + "'::timestamptz + n * interval '1 minute', 'p'"
                        + " FROM generate_series(1, " + TENANTS + ") t, generate_series(1, " + perTenant + ") n");
                assertThat(count(st, parts[0]) - before)
                        .as("rows inserted through the coordinator land in " + parts[0])
                        .isEqualTo((long) TENANTS * perTenant);
                total += (long) TENANTS * perTenant;
            }
        }
        return total;
    }

    private static long count(Statement st, String table) throws SQLException {
        try (ResultSet rs = st.executeQuery("SELECT count(*) FROM " + table)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static long onWorker(int worker, String sql) throws SQLException {
        CitusServer cluster = pg.citusServer();
        try (Connection c =
                        cluster.workerDataSource(worker, pg.database().name()).getConnection();
                Statement st = c.createStatement()) {
            st.execute("SET citus.override_table_visibility = off");
            try (ResultSet rs = st.executeQuery(sql)) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }
}
