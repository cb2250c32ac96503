package dev.autopartition.spring.boot;

import static org.assertj.core.api.Assertions.assertThat;

import dev.autopartition.AutoPartition;
import dev.autopartition.AutoPartitionSpec;
import dev.autopartition.MaintenanceReport;
import dev.autopartition.TableName;
import dev.autopartition.testing.PostgresExtension;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Two application contexts maintaining the same database at once, as two instances of one service would. */
class TwoInstancesIT {
    @RegisterExtension
    static final PostgresExtension pg = new PostgresExtension();

    private static final MovableClock CLOCK = new MovableClock(Instant.parse("2022-01-10T12:00:00Z"));

    @Test
    void twoInstancesKeepTheTablesCurrentWithoutErrorsAndCreateEachPartitionOnce() throws Exception {
        pg.execute(
                "CREATE TABLE ti_a (ts timestamptz NOT NULL) PARTITION BY RANGE (ts)",
                "CREATE TABLE ti_b (ts timestamptz NOT NULL) PARTITION BY RANGE (ts)");
        AutoPartition declaring =
                AutoPartition.configure(pg.dataSource()).clock(CLOCK).build();
        for (String table : List.of("ti_a", "ti_b")) {
            declaring.autoPartition(AutoPartitionSpec.builder(TableName.of(table), "ts")
                    .increment("1 day")
                    .minimumAdvancePartitions(1)
                    .maximumAdvancePartitions(1)
                    .build());
        }
        List<MaintenanceReport> reports = new CopyOnWriteArrayList<>();
        // Started one after the other: Spring Boot's logging set-up is not safe for two applications starting at the
        // same moment in one JVM (it fails on a half-set system property). Once the second has started, both
        // maintain the database at the same time, every 50 ms.
        List<ConfigurableApplicationContext> apps = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            apps.add(TestApplication.start(
                    pg,
                    List.of(Shared.class),
                    "autopartition.maintenance.interval=50ms",
                    "autopartition.maintenance.jitter=30ms"));
        }
        try {
            apps.forEach(app -> app.getBean(AutoPartitionMaintainer.class).onReport(reports::add));
            // ten days pass, one every 300 ms, while both instances maintain every 50 ms
            for (int day = 0; day < 10; day++) {
                CLOCK.advance(Duration.ofDays(1));
                Thread.sleep(300);
            }
            long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            while ((partitions("ti_a") < 12 || partitions("ti_b") < 12) && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            for (ConfigurableApplicationContext app : apps) {
                assertThat(HealthProbe.of(app, "autoPartitionHealthIndicator").status())
                        .as("health of each instance")
                        .isEqualTo("UP");
            }
        } finally {
            apps.forEach(ConfigurableApplicationContext::close);
        }
        assertThat(reports).as("passes of both instances").hasSizeGreaterThan(10);
        assertThat(reports).as("no errors in any pass").noneMatch(MaintenanceReport::hasErrors);
        assertThat(reports.stream().mapToInt(MaintenanceReport::created).sum())
                .as("each of the 20 new partitions created once, by one of the instances")
                .isEqualTo(20);
        assertThat(partitions("ti_a")).isEqualTo(12);
        assertThat(partitions("ti_b")).isEqualTo(12);
    }

    /** Both instances see the same clock. */
    @Configuration(proxyBeanMethods = false)
    static class Shared {
        @Bean
        AutoPartition autoPartition(DataSource dataSource) {
            return AutoPartition.configure(dataSource).clock(CLOCK).build();
        }
    }

    private static long partitions(String table) throws Exception {
        try (Connection connection = pg.dataSource().getConnection();
                Statement st = connection.createStatement();
                ResultSet rs = st.executeQuery(
                        "SELECT count(*) FROM pg_inherits WHERE inhparent = '" + table + "'::regclass")) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
