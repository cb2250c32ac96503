package dev.autopartition.spring.boot;

import static org.assertj.core.api.Assertions.assertThat;

import dev.autopartition.LastRun;
import dev.autopartition.TableName;
import dev.autopartition.testing.PostgresExtension;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.context.ConfigurableApplicationContext;

/** The starter after Spring Boot's Flyway migration (an SQL migration, then autopartition's Java migration). */
class FlywayStarterIT {
    @RegisterExtension
    static final PostgresExtension pg = new PostgresExtension();

    private static final TableName EVENTS = TableName.of("fw_events");

    @Test
    void theStartUpPassRunsOnceFlywayHasMigrated() throws Exception {
        AutoPartitionMaintainer maintainer;
        try (ConfigurableApplicationContext app = TestApplication.start(
                pg,
                List.of(),
                "spring.flyway.enabled=true",
                "spring.flyway.locations=classpath:db/flyway",
                "autopartition.maintenance.interval=1h")) {
            maintainer = app.getBean(AutoPartitionMaintainer.class);
            assertThat(app.getBeanFactory()
                            .getBeanDefinition("autoPartitionMaintainer")
                            .getDependsOn())
                    .as("the maintainer depends on the bean that runs the migration")
                    .contains("flywayInitializer");
            assertThat(maintainer.isRunning()).isTrue();
            assertThat(maintainer.history().lastRun(EVENTS))
                    .as("the start-up pass saw the table Flyway's migrations created and partitioned")
                    .map(LastRun::outcome)
                    .contains(LastRun.Outcome.SUCCESS);
            assertThat(number("SELECT count(*) FROM autopartition.managed_table m JOIN flyway_schema_history h"
                            + " ON h.version = '2' WHERE m.table_name = 'fw_events'"
                            + " AND m.last_maintained_at >= h.installed_on"))
                    .as("the catalog records the start-up pass after the migration")
                    .isEqualTo(1);
            assertThat(number("SELECT count(*) FROM pg_inherits WHERE inhparent = 'fw_events'::regclass"))
                    .as("today and five days ahead")
                    .isEqualTo(6);
            HealthProbe health = HealthProbe.of(app, "autoPartitionHealthIndicator");
            assertThat(health.status()).isEqualTo("UP");
            assertThat(health.section("tables")).containsKey("public.fw_events");
        }
        assertThat(maintainer.isRunning()).isFalse();
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
