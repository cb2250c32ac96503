package dev.autopartition.spring.boot;

import static org.assertj.core.api.Assertions.assertThat;

import dev.autopartition.AutoPartition;
import dev.autopartition.AutoPartitionSpec;
import dev.autopartition.MigrationPhase;
import dev.autopartition.MigrationSpec;
import dev.autopartition.TableName;
import dev.autopartition.testing.PostgresExtension;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The health indicator going DOWN and back UP, and the metrics' values, while days pass on a test clock. */
class HealthAndMetricsIT {
    @RegisterExtension
    static final PostgresExtension pg = new PostgresExtension();

    private static final TableName EVENTS = TableName.of("hm_events");
    private static final TableName INBOX = TableName.of("hm_inbox");
    private static final TableName MOVING = TableName.of("hm_moving");

    @Test
    void healthGoesDownAndBackUpAndTheMetricsFollowTheTables() throws Exception {
        pg.execute(
                "CREATE TABLE hm_events (ts timestamptz NOT NULL) PARTITION BY RANGE (ts)",
                "CREATE TABLE hm_inbox (ts timestamptz NOT NULL) PARTITION BY RANGE (ts)");
        Clocked.clock = new MovableClock(Instant.parse("2022-01-10T12:00:00Z"));
        try (ConfigurableApplicationContext app = TestApplication.start(
                pg,
                List.of(Clocked.class),
                "autopartition.maintenance.interval=1h",
                "autopartition.maintenance.jitter=0s")) {
            AutoPartition ap = app.getBean(AutoPartition.class);
            AutoPartitionMaintainer maintainer = app.getBean(AutoPartitionMaintainer.class);
            MeterRegistry registry = app.getBean(MeterRegistry.class);
            ap.autoPartition(AutoPartitionSpec.builder(EVENTS, "ts")
                    .increment("1 day")
                    .minimumAdvancePartitions(2)
                    .maximumAdvancePartitions(5)
                    .build());
            ap.autoPartition(AutoPartitionSpec.builder(INBOX, "ts")
                    .increment("1 day")
                    .defaultPartition(true)
                    .build());
            assertThat(health(app).status()).isEqualTo("UP");

            Clocked.clock.advance(Duration.ofDays(4));
            maintainer.runNow();
            assertThat(gauge(registry, "autopartition.partitions.advance", EVENTS))
                    .as("five days ahead again")
                    .isEqualTo(5);
            assertThat(gauge(registry, "autopartition.partitions.advance.minimum", EVENTS))
                    .isEqualTo(2);
            assertThat(gauge(registry, "autopartition.bound.oldest", EVENTS))
                    .as("2022-01-10 in epoch seconds")
                    .isEqualTo(epoch("2022-01-10T00:00:00Z"));
            assertThat(gauge(registry, "autopartition.bound.newest", EVENTS))
                    .as("2022-01-20 in epoch seconds")
                    .isEqualTo(epoch("2022-01-20T00:00:00Z"));
            assertThat(gauge(registry, "autopartition.partitions", EVENTS)).isEqualTo(10);
            assertThat(gauge(registry, "autopartition.default.rows", INBOX)).isZero();
            assertThat(gauge(registry, "autopartition.maintenance.last.outcome", EVENTS))
                    .as("0: success")
                    .isZero();
            assertThat(gauge(registry, "autopartition.maintenance.last.duration", EVENTS))
                    .isGreaterThan(0);
            assertThat(counter(registry, "autopartition.partitions.created", EVENTS))
                    .as("the four days this application's pass created (the rule created the first six)")
                    .isEqualTo(4);
            assertThat(counter(registry, "autopartition.partitions.removed", EVENTS))
                    .isZero();

            Clocked.clock.advance(Duration.ofDays(6));
            HealthProbe down = health(app);
            assertThat(down.status())
                    .as("the clock ran past the newest partition")
                    .isEqualTo("DOWN");
            assertThat(down.details().get("findings"))
                    .asString()
                    .contains("TOO_FEW_ADVANCE_PARTITIONS: \"public\".\"hm_events\" has no partition for the current");
            assertThat(gauge(registry, "autopartition.partitions.advance", EVENTS))
                    .isEqualTo(-1);
            assertThat(actuator(app)).as("Actuator's aggregate health").isEqualTo("DOWN");

            maintainer.runNow();
            assertThat(health(app).status()).as("after a pass").isEqualTo("UP");
            assertThat(actuator(app)).isEqualTo("UP");
            assertThat(gauge(registry, "autopartition.partitions.advance", EVENTS))
                    .isEqualTo(5);

            pg.execute("INSERT INTO hm_inbox VALUES ('2023-06-01 00:00:00+00')");
            HealthProbe stray = health(app);
            assertThat(stray.status()).isEqualTo("DOWN");
            assertThat(stray.details().get("findings"))
                    .asString()
                    .contains("1 rows of \"public\".\"hm_inbox\" sit in its default partition");
            assertThat(gauge(registry, "autopartition.default.rows", INBOX)).isEqualTo(1);
            pg.execute("DELETE FROM hm_inbox");
            assertThat(health(app).status()).isEqualTo("UP");
        }
    }

    @Test
    void anOnlineMigrationHasItsProgressInTheHealthDetailsAndMetrics() {
        pg.execute(
                "CREATE TABLE hm_moving (id bigint GENERATED ALWAYS AS IDENTITY, ts timestamptz NOT NULL,"
                        + " PRIMARY KEY (id, ts))",
                "INSERT INTO hm_moving (ts) SELECT timestamptz '2022-01-10 12:00:00+00' - g * interval '1 hour'"
                        + " FROM generate_series(1, 100) g");
        Clocked.clock = new MovableClock(Instant.parse("2022-01-10T12:00:00Z"));
        try (ConfigurableApplicationContext app =
                TestApplication.start(pg, List.of(Clocked.class), "autopartition.maintenance.interval=1h")) {
            AutoPartition ap = app.getBean(AutoPartition.class);
            assertThat(ap.migrateToPartitioned(MigrationSpec.builder(AutoPartitionSpec.builder(MOVING, "ts")
                                            .increment("1 day")
                                            .build())
                                    .cutover(false)
                                    .build())
                            .phase())
                    .isEqualTo(MigrationPhase.VERIFIED);
            app.getBean(AutoPartitionMaintainer.class).runNow();
            MeterRegistry registry = app.getBean(MeterRegistry.class);
            assertThat(gauge(registry, "autopartition.migration.rows.copied", MOVING))
                    .isEqualTo(100);
            assertThat(gauge(registry, "autopartition.migration.backlog", MOVING))
                    .isZero();
            assertThat(gauge(registry, "autopartition.migration.phase", MOVING))
                    .as("2: verified")
                    .isEqualTo(2);
            HealthProbe health = health(app);
            assertThat(health.section("migrations")).containsKey("public.hm_moving");
            assertThat(health.section("migrations").get("public.hm_moving"))
                    .asString()
                    .contains("phase=VERIFIED")
                    .contains("stuck=false");
            ap.abortMigration(MOVING);
            assertThat(gauge(registry, "autopartition.migration.phase", MOVING))
                    .as("an aborted migration is no longer reported")
                    .isNaN();
        }
    }

    @Test
    void anApplicationThatLeavesMaintenanceToAnotherStillHasTheGaugesOnceStarted() {
        pg.execute("CREATE TABLE hm_elsewhere (ts timestamptz NOT NULL) PARTITION BY RANGE (ts)");
        Clocked.clock = new MovableClock(Instant.parse("2022-01-10T12:00:00Z"));
        AutoPartition.configure(pg.dataSource())
                .clock(Clocked.clock)
                .build()
                .autoPartition(AutoPartitionSpec.builder(TableName.of("hm_elsewhere"), "ts")
                        .increment("1 day")
                        .build());
        try (ConfigurableApplicationContext app =
                TestApplication.start(pg, List.of(Clocked.class), "autopartition.maintenance.enabled=false")) {
            assertThat(app.getBeanProvider(AutoPartitionMaintainer.class).getIfAvailable())
                    .isNull();
            assertThat(gauge(
                            app.getBean(MeterRegistry.class),
                            "autopartition.partitions.advance",
                            TableName.of("hm_elsewhere")))
                    .as("registered at start-up, before any health check")
                    .isEqualTo(5);
            assertThat(health(app).status()).isEqualTo("UP");
        }
    }

    @Test
    void aFailedRunIsDownWithItsErrorUntilAPassSucceeds() throws Exception {
        pg.execute("CREATE TABLE hm_blocked (ts timestamptz NOT NULL) PARTITION BY RANGE (ts)");
        Impatient.clock = new MovableClock(Instant.parse("2022-01-10T12:00:00Z"));
        TableName blocked = TableName.of("hm_blocked");
        try (ConfigurableApplicationContext app =
                TestApplication.start(pg, List.of(Impatient.class), "autopartition.maintenance.interval=1h")) {
            app.getBean(AutoPartition.class)
                    .autoPartition(AutoPartitionSpec.builder(blocked, "ts")
                            .increment("1 day")
                            .build());
            AutoPartitionMaintainer maintainer = app.getBean(AutoPartitionMaintainer.class);
            Impatient.clock.advance(Duration.ofDays(4));
            try (Connection blocker = pg.dataSource().getConnection();
                    Statement st = blocker.createStatement()) {
                blocker.setAutoCommit(false);
                st.execute("LOCK TABLE hm_blocked IN ACCESS EXCLUSIVE MODE");
                maintainer.runNow();
                blocker.rollback();
            }
            HealthProbe failed = health(app);
            assertThat(failed.status()).isEqualTo("DOWN");
            assertThat(failed.details().get("findings"))
                    .asString()
                    .contains("LAST_RUN_FAILED: The last maintenance of \"public\".\"hm_blocked\"");
            assertThat(gauge(app.getBean(MeterRegistry.class), "autopartition.maintenance.last.outcome", blocked))
                    .as("2: failed")
                    .isEqualTo(2);

            maintainer.runNow();
            assertThat(health(app).status()).isEqualTo("UP");
            assertThat(gauge(app.getBean(MeterRegistry.class), "autopartition.maintenance.last.outcome", blocked))
                    .isZero();
        }
    }

    /** A clock the test moves, and one try of 50 ms per lock, so a held lock fails a run at once. */
    @Configuration(proxyBeanMethods = false)
    static class Impatient {
        static MovableClock clock = new MovableClock(Instant.EPOCH);

        @Bean
        AutoPartition autoPartition(DataSource dataSource) {
            return AutoPartition.configure(dataSource)
                    .clock(clock)
                    .lockTimeout(Duration.ofMillis(50))
                    .attempts(1)
                    .build();
        }
    }

    /** The application's engine runs on a clock the test moves. */
    @Configuration(proxyBeanMethods = false)
    static class Clocked {
        static MovableClock clock = new MovableClock(Instant.EPOCH);

        @Bean
        AutoPartition autoPartition(DataSource dataSource) {
            return AutoPartition.configure(dataSource).clock(clock).build();
        }
    }

    private static HealthProbe health(ConfigurableApplicationContext app) {
        return HealthProbe.of(app, "autoPartitionHealthIndicator");
    }

    /** The status of Actuator's health endpoint, which aggregates every indicator. */
    private static String actuator(ConfigurableApplicationContext app) throws Exception {
        Object endpoint = app.getBean("healthEndpoint");
        return HealthProbe.status(endpoint.getClass().getMethod("health").invoke(endpoint));
    }

    private static double gauge(MeterRegistry registry, String name, TableName table) {
        Gauge gauge = registry.find(name).tag("table", HealthDetails.key(table)).gauge();
        assertThat(gauge).as("gauge " + name + " of " + table).isNotNull();
        return java.util.Objects.requireNonNull(gauge).value();
    }

    private static double counter(MeterRegistry registry, String name, TableName table) {
        FunctionCounter counter =
                registry.find(name).tag("table", HealthDetails.key(table)).functionCounter();
        assertThat(counter).as("counter " + name + " of " + table).isNotNull();
        return java.util.Objects.requireNonNull(counter).count();
    }

    private static double epoch(String instant) {
        return Instant.parse(instant).getEpochSecond();
    }
}
