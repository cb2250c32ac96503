package dev.autopartition.samples.springboot;

import static org.assertj.core.api.Assertions.assertThat;

import dev.autopartition.AutoPartition;
import dev.autopartition.LastRun;
import dev.autopartition.TableName;
import dev.autopartition.TableStatus;
import dev.autopartition.spring.boot.AutoPartitionMaintainer;
import dev.autopartition.testing.PostgresExtension;
import dev.autopartition.testing.TestDatabase;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.Objects;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.health.actuate.endpoint.HealthEndpoint;
import org.springframework.boot.health.actuate.endpoint.IndicatedHealthDescriptor;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The sample as Spring Boot's test support starts it, on the embedded PostgreSQL: Liquibase partitions the messages,
 * the starter maintains them, Actuator and Micrometer show it.
 */
@SpringBootTest
class ChatApplicationIT {
    @RegisterExtension
    static final PostgresExtension pg = new PostgresExtension();

    private static final TableName MESSAGES = TableName.of("chat_messages");

    @DynamicPropertySource
    static void database(DynamicPropertyRegistry properties) {
        TestDatabase db = pg.database();
        properties.add("spring.datasource.url", db::jdbcUrl);
        properties.add("spring.datasource.username", db::user);
        properties.add("spring.datasource.password", db::password);
    }

    @Autowired
    AutoPartition autoPartition;

    @Autowired
    AutoPartitionMaintainer maintainer;

    @Autowired
    HealthEndpoint health;

    @Autowired
    MeterRegistry meters;

    @Test
    void liquibasePartitionsTheMessagesAndTheStarterKeepsThemCurrent() {
        TableStatus status = autoPartition.status().stream()
                .filter(s -> s.table().equals(MESSAGES))
                .findFirst()
                .orElseThrow();
        assertThat(status.advancePartitions()).as("days ahead of today").isEqualTo(5);
        assertThat(status.newestBound())
                .as("newest bound")
                .isEqualTo(LocalDate.now(ZoneOffset.UTC).plusDays(6) + " 00:00:00+00:00");
        assertThat(maintainer.isRunning()).isTrue();
        assertThat(maintainer.history().lastRun(MESSAGES))
                .as("the start-up pass ran after Liquibase and looked at the table")
                .map(LastRun::outcome)
                .contains(LastRun.Outcome.SUCCESS);
    }

    @Test
    void actuatorShowsTheTableAndMicrometerItsGauges() {
        // tag::health[]
        IndicatedHealthDescriptor autoPartitionHealth =
                (IndicatedHealthDescriptor) Objects.requireNonNull(health.healthForPath("autoPartition"));
        // end::health[]
        assertThat(autoPartitionHealth.getStatus().getCode()).isEqualTo("UP");
        assertThat(health.health().getStatus().getCode())
                .as("the application's health")
                .isEqualTo("UP");
        Map<?, ?> tables = (Map<?, ?>)
                Objects.requireNonNull(autoPartitionHealth.getDetails().get("tables"));
        assertThat(tables.get("public.chat_messages"))
                .asString()
                .contains("advancePartitions=5")
                .contains("minimumAdvancePartitions=2")
                .contains("lastRun=SUCCESS");
        // tag::metrics[]
        double ahead = meters.get("autopartition.partitions.advance")
                .tag("table", "public.chat_messages")
                .gauge()
                .value();
        // end::metrics[]
        assertThat(ahead).isEqualTo(5);
        assertThat(meters.get("autopartition.default.rows")
                        .tag("table", "public.chat_messages")
                        .gauge()
                        .value())
                .isZero();
    }
}
