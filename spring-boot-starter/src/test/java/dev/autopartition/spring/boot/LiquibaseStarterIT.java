package dev.autopartition.spring.boot;

import static org.assertj.core.api.Assertions.assertThat;

import dev.autopartition.AutoPartition;
import dev.autopartition.LastRun;
import dev.autopartition.TableName;
import dev.autopartition.testing.PostgresExtension;
import java.sql.Connection;
import java.sql.ResultSet;
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

/** The starter after Spring Boot's Liquibase migration: the start-up pass, the schedule, shutdown. */
class LiquibaseStarterIT {
    @RegisterExtension
    static final PostgresExtension pg = new PostgresExtension();

    private static final TableName EVENTS = TableName.of("lb_events");

    @Test
    void theStartUpPassRunsOnceLiquibaseHasMigratedAndTheScheduleStopsOnClose() throws Exception {
        AutoPartitionMaintainer maintainer;
        try (ConfigurableApplicationContext app = TestApplication.start(
                pg,
                List.of(),
                "spring.liquibase.enabled=true",
                "spring.liquibase.change-log=classpath:db/liquibase/changelog.xml",
                "autopartition.maintenance.interval=1h")) {
            maintainer = app.getBean(AutoPartitionMaintainer.class);
            assertThat(app.getBeanFactory()
                            .getBeanDefinition("autoPartitionMaintainer")
                            .getDependsOn())
                    .as("the maintainer depends on the bean that runs the migration")
                    .contains("liquibase");
            assertThat(maintainer.isRunning())
                    .as("running once the context has started")
                    .isTrue();
            assertThat(maintainer.history().lastRun(EVENTS))
                    .as("the start-up pass saw the table Liquibase created, so it ran after the migration")
                    .map(LastRun::outcome)
                    .contains(LastRun.Outcome.SUCCESS);
            assertThat(number("SELECT count(*) FROM autopartition.managed_table m JOIN databasechangelog c"
                            + " ON c.id = 'lb-events-rule' WHERE m.table_name = 'lb_events'"
                            + " AND m.last_maintained_at >= c.dateexecuted"))
                    .as("the catalog records the start-up pass after the change set")
                    .isEqualTo(1);
            assertThat(HealthProbe.of(app, "autoPartitionHealthIndicator").status())
                    .isEqualTo("UP");
        }
        assertThat(maintainer.isRunning()).as("stopped with the context").isFalse();
    }

    @Test
    void aFreshDeploymentAfterDowntimeCatchesUpBeforeTheApplicationIsReady() throws Exception {
        Instant later = Instant.now().plus(Duration.ofDays(10));
        Downtime.clock = new MovableClock(later);
        try (ConfigurableApplicationContext app = TestApplication.start(
                pg,
                List.of(Downtime.class),
                "spring.liquibase.enabled=true",
                "spring.liquibase.change-log=classpath:db/liquibase/changelog.xml",
                "autopartition.maintenance.interval=1h",
                "autopartition.maintenance.jitter=0s")) {
            AutoPartition ap = app.getBean(AutoPartition.class);
            assertThat(ap.findPartition(EVENTS, later.toString().replace('T', ' ')))
                    .as("a partition for ten days from now exists as soon as the application has started")
                    .isPresent();
            assertThat(HealthProbe.of(app, "autoPartitionHealthIndicator").status())
                    .isEqualTo("UP");
            assertThat(app.getBean(AutoPartitionMaintainer.class).history().partitionsCreated(EVENTS))
                    .as("the start-up pass created the days since and the days ahead")
                    .isGreaterThanOrEqualTo(10);
        }
    }

    /** The application's engine sees a clock ten days ahead: as if it had been down for ten days. */
    @Configuration(proxyBeanMethods = false)
    static class Downtime {
        static MovableClock clock = new MovableClock(Instant.EPOCH);

        @Bean
        AutoPartition autoPartition(DataSource dataSource) {
            return AutoPartition.configure(dataSource).clock(clock).build();
        }
    }

    private static long number(String sql) throws Exception {
        try (Connection connection = pg.dataSource().getConnection();
                Statement st = connection.createStatement();
                ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
