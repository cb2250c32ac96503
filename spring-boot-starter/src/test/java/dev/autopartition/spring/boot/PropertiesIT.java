package dev.autopartition.spring.boot;

import static org.assertj.core.api.Assertions.assertThat;

import dev.autopartition.AutoPartition;
import dev.autopartition.Durations;
import dev.autopartition.testing.PostgresExtension;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.List;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.boot.SpringBootVersion;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.boot.convert.DurationUnit;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.util.ClassUtils;

/** The properties: defaults, bad values, switching maintenance off, and the metadata IDEs complete them from. */
class PropertiesIT {
    @RegisterExtension
    static final PostgresExtension pg = new PostgresExtension();

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(AutoPartitionAutoConfiguration.class))
            .withBean(DataSource.class, pg::dataSource);

    @Test
    void theDefaultsMaintainEveryTenMinutesInTheAutopartitionSchema() {
        runner.run(context -> {
            assertThat(context).hasSingleBean(AutoPartitionMaintainer.class);
            assertThat(context.getBean(AutoPartition.class).catalogSchema()).isEqualTo("autopartition");
            AutoPartitionMaintenanceProperties properties = context.getBean(AutoPartitionMaintenanceProperties.class);
            assertThat(properties.interval()).hasMinutes(10);
            assertThat(properties.jitter()).hasMinutes(1);
            assertThat(properties.lockTimeout()).hasMillis(500);
            assertThat(context.getBean(AutoPartitionMaintainer.class).isRunning())
                    .isTrue();
        });
    }

    @Test
    void anotherSchemaIsTheEnginesCatalogSchema() {
        runner.withPropertyValues("autopartition.maintenance.schema=partitions_catalog")
                .run(context -> assertThat(context.getBean(AutoPartition.class).catalogSchema())
                        .isEqualTo("partitions_catalog"));
    }

    @Test
    void badValuesStopTheStartWithTheirPropertyValueAndFix() {
        runner.withPropertyValues("autopartition.maintenance.interval=0s")
                .run(context -> assertThat(context)
                        .getFailure()
                        .rootCause()
                        .hasMessage("autopartition.maintenance.interval must be positive, was PT0S."
                                + " Fix: set a duration such as 10m."));
        runner.withPropertyValues("autopartition.maintenance.jitter=-1s")
                .run(context -> assertThat(context)
                        .getFailure()
                        .rootCause()
                        .hasMessageContaining("autopartition.maintenance.jitter must not be negative, was PT-1S"));
        runner.withPropertyValues("autopartition.maintenance.lock-timeout=0ms")
                .run(context -> assertThat(context)
                        .getFailure()
                        .rootCause()
                        .hasMessageContaining("autopartition.maintenance.lock-timeout must be positive, was PT0S"));
        runner.withPropertyValues("autopartition.health.migration-stuck-after=0s")
                .run(context -> assertThat(context)
                        .getFailure()
                        .rootCause()
                        .hasMessageContaining("autopartition.health.migration-stuck-after must be positive"));
        runner.withPropertyValues("autopartition.maintenance.schema=" + "s".repeat(64))
                .run(context -> assertThat(context)
                        .getFailure()
                        .rootCause()
                        .hasMessageContaining("is 64 bytes long; PostgreSQL keeps only 63"));
        runner.withPropertyValues("autopartition.maintenance.interval=often")
                .run(context -> assertThat(context)
                        .getFailure()
                        .hasStackTraceContaining("Failed to bind properties under 'autopartition.maintenance.interval'")
                        .hasStackTraceContaining("often"));
    }

    @Test
    void durationsTakeTheOneGrammarOfEveryFrontEndAndSpringsForms() {
        runner.withPropertyValues(
                        "autopartition.maintenance.interval=1h30m",
                        "autopartition.maintenance.jitter=2 min",
                        "autopartition.maintenance.lock-timeout=750",
                        "autopartition.health.migration-stuck-after=PT1M",
                        "autopartition.health.cache-for=10s")
                .run(context -> {
                    assertThat(context).hasNotFailed();
                    AutoPartitionMaintenanceProperties maintenance =
                            context.getBean(AutoPartitionMaintenanceProperties.class);
                    assertThat(maintenance.interval()).as("1h30m").isEqualTo(Duration.ofMinutes(90));
                    assertThat(maintenance.jitter()).as("2 min").isEqualTo(Duration.ofMinutes(2));
                    assertThat(maintenance.lockTimeout())
                            .as("a bare number is milliseconds, as in Spring Boot")
                            .isEqualTo(Duration.ofMillis(750));
                    AutoPartitionHealthProperties health = context.getBean(AutoPartitionHealthProperties.class);
                    assertThat(health.migrationStuckAfter()).as("PT1M").isEqualTo(Duration.ofMinutes(1));
                    assertThat(health.cacheFor()).as("10s").isEqualTo(Duration.ofSeconds(10));
                });
        runner.withPropertyValues("autopartition.maintenance.lock-timeout=1.5s", "autopartition.health.cache-for=500ms")
                .run(context -> {
                    assertThat(context.getBean(AutoPartitionMaintenanceProperties.class)
                                    .lockTimeout())
                            .isEqualTo(Duration.ofMillis(1500));
                    assertThat(context.getBean(AutoPartitionHealthProperties.class)
                                    .cacheFor())
                            .isEqualTo(Duration.ofMillis(500));
                });
    }

    @Test
    void aStartedApplicationReadsTheGrammarToo() {
        try (ConfigurableApplicationContext context = TestApplication.start(
                pg,
                List.of(),
                "autopartition.maintenance.interval=1h30m",
                "autopartition.maintenance.lock-timeout=2 min",
                "autopartition.health.migration-stuck-after=PT10M")) {
            AutoPartitionMaintenanceProperties maintenance = context.getBean(AutoPartitionMaintenanceProperties.class);
            assertThat(maintenance.interval()).isEqualTo(Duration.ofMinutes(90));
            assertThat(maintenance.lockTimeout()).isEqualTo(Duration.ofMinutes(2));
            assertThat(context.getBean(AutoPartitionHealthProperties.class).migrationStuckAfter())
                    .isEqualTo(Duration.ofMinutes(10));
        }
    }

    @Test
    void aDurationInNeitherGrammarStopsTheStartNamingThePropertyTheValueAndTheGrammar() {
        runner.withPropertyValues("autopartition.maintenance.lock-timeout=2 fortnights")
                .run(context -> assertThat(context)
                        .getFailure()
                        .hasStackTraceContaining(
                                "Failed to bind properties under 'autopartition.maintenance.lock-timeout'")
                        .hasStackTraceContaining(
                                "'2 fortnights' is not a duration. Fix: write " + Durations.GRAMMAR + "."));
        runner.withPropertyValues("autopartition.health.cache-for=soon")
                .run(context -> assertThat(context)
                        .getFailure()
                        .hasStackTraceContaining("Failed to bind properties under 'autopartition.health.cache-for'")
                        .hasStackTraceContaining("'soon' is not a duration. Fix: write"));
    }

    /** An application's own properties, which the starter must not read differently. */
    @ConfigurationProperties("other")
    record OtherProperties(
            @DefaultValue("1s") @DurationUnit(ChronoUnit.SECONDS)
            Duration inSeconds,

            @DefaultValue("1s") Duration plain) {}

    @EnableConfigurationProperties(OtherProperties.class)
    static class OtherConfiguration {}

    @Test
    void theApplicationsOwnDurationsKeepSpringBootsReading() {
        runner.withUserConfiguration(OtherConfiguration.class)
                .withPropertyValues("other.in-seconds=30", "other.plain=45")
                .run(context -> {
                    OtherProperties other = context.getBean(OtherProperties.class);
                    assertThat(other.inSeconds())
                            .as("@DurationUnit(SECONDS) still makes a bare number seconds")
                            .isEqualTo(Duration.ofSeconds(30));
                    assertThat(other.plain()).isEqualTo(Duration.ofMillis(45));
                });
        runner.withUserConfiguration(OtherConfiguration.class)
                .withPropertyValues("other.plain=1h30m")
                .run(context -> assertThat(context)
                        .as("the starter's grammar is for its own properties only")
                        .hasFailed());
    }

    @Test
    void maintenanceOffLeavesTheEngineAndTheHealthIndicator() {
        runner.withPropertyValues("autopartition.maintenance.enabled=false").run(context -> {
            assertThat(context).doesNotHaveBean(AutoPartitionMaintainer.class);
            assertThat(context).hasSingleBean(AutoPartition.class);
            assertThat(context).hasBean("autoPartitionHealthIndicator");
            HealthProbe probe = HealthProbe.of(context, "autoPartitionHealthIndicator");
            assertThat(probe.status()).as(probe.details().toString()).isEqualTo("UP");
        });
    }

    @Test
    void theHealthIndicatorCanBeSwitchedOffLikeActuatorsOwn() {
        runner.withPropertyValues("management.health.autopartition.enabled=false")
                .run(context -> assertThat(context).doesNotHaveBean("autoPartitionHealthIndicator"));
    }

    @Test
    void theHealthIndicatorIsTheOneOfTheSpringBootLineUnderTest() {
        String expected = System.getProperty("spring-boot.version");
        assertThat(SpringBootVersion.getVersion())
                .as("the Spring Boot the build asked for (-Dspring-boot.line)")
                .isEqualTo(expected);
        boolean boot4 = ClassUtils.isPresent("org.springframework.boot.health.contributor.HealthIndicator", null);
        assertThat(boot4).as("Boot 4's health module present").isEqualTo(expected.startsWith("4."));
        runner.run(context -> assertThat(context.getBean("autoPartitionHealthIndicator"))
                .isInstanceOf(boot4 ? AutoPartitionHealthIndicator.class : AutoPartitionLegacyHealthIndicator.class));
    }

    @Test
    void metadataDescribesEveryPropertyForIdes() throws Exception {
        String metadata;
        try (InputStream in = getClass().getResourceAsStream("/META-INF/spring-configuration-metadata.json")) {
            assertThat(in).as("generated metadata").isNotNull();
            metadata = new String(java.util.Objects.requireNonNull(in).readAllBytes(), StandardCharsets.UTF_8);
        }
        assertThat(metadata)
                .contains("\"name\": \"autopartition.maintenance.enabled\"")
                .contains("\"name\": \"autopartition.maintenance.interval\"")
                .contains("\"defaultValue\": \"10m\"")
                .contains("\"name\": \"autopartition.maintenance.jitter\"")
                .contains("\"name\": \"autopartition.maintenance.schema\"")
                .contains("\"name\": \"autopartition.maintenance.lock-timeout\"")
                .contains("\"name\": \"autopartition.health.migration-stuck-after\"")
                .contains("\"name\": \"autopartition.health.cache-for\"")
                .contains("\"name\": \"management.health.autopartition.enabled\"");
    }
}
