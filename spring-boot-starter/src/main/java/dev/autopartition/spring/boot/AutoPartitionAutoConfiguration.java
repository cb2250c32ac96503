package dev.autopartition.spring.boot;

import dev.autopartition.AutoPartition;
import dev.autopartition.AutoPartitionException;
import dev.autopartition.RunHistory;
import java.util.function.Supplier;
import javax.sql.DataSource;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnSingleCandidate;
import org.springframework.boot.context.properties.ConfigurationPropertiesBinding;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Partition maintenance for a Spring Boot application with one DataSource: an {@link AutoPartition} on it, an {@link
 * AutoPartitionMaintainer} that runs after Spring Boot's Liquibase or Flyway migration, a health indicator
 * ({@code autoPartition}) when Actuator is present, and Micrometer metrics when Micrometer is.
 *
 * <p>Ordered after the DataSource, Liquibase and Flyway auto-configurations of Spring Boot 3 and 4 (named, since Boot
 * 4 moved them to modules and packages of their own).
 */
@AutoConfiguration(
        afterName = {
            "org.springframework.boot.autoconfigure.jdbc.DataSourceAutoConfiguration",
            "org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration",
            "org.springframework.boot.autoconfigure.liquibase.LiquibaseAutoConfiguration",
            "org.springframework.boot.liquibase.autoconfigure.LiquibaseAutoConfiguration",
            "org.springframework.boot.autoconfigure.flyway.FlywayAutoConfiguration",
            "org.springframework.boot.flyway.autoconfigure.FlywayAutoConfiguration"
        })
@ConditionalOnClass(AutoPartition.class)
@ConditionalOnSingleCandidate(DataSource.class)
@EnableConfigurationProperties({AutoPartitionMaintenanceProperties.class, AutoPartitionHealthProperties.class})
public class AutoPartitionAutoConfiguration {

    /** The engine on the application's DataSource; define your own {@code AutoPartition} bean to change more. */
    @Bean
    @ConditionalOnMissingBean
    public AutoPartition autoPartition(DataSource dataSource, AutoPartitionMaintenanceProperties properties) {
        try {
            return AutoPartition.configure(dataSource)
                    .catalogSchema(properties.schema())
                    .lockTimeout(properties.lockTimeout())
                    .build();
        } catch (AutoPartitionException e) {
            throw new IllegalStateException(
                    "autopartition.maintenance.schema or .lock-timeout is not usable: " + e.getMessage(), e);
        }
    }

    @Bean
    @ConditionalOnProperty(prefix = "autopartition.maintenance", name = "enabled", matchIfMissing = true)
    public AutoPartitionMaintainer autoPartitionMaintainer(
            AutoPartition autoPartition, AutoPartitionMaintenanceProperties properties) {
        return new AutoPartitionMaintainer(autoPartition, properties.interval(), properties.jitter());
    }

    /**
     * Reads the starter's durations ({@link AutoPartitionDuration}) in the engine's grammar. Static: the binder looks
     * converters up before this configuration exists.
     */
    @Bean
    @ConfigurationPropertiesBinding
    static DurationGrammarConverter autoPartitionDurationGrammarConverter() {
        return new DurationGrammarConverter();
    }

    /** Static: a bean factory post-processor must not make this configuration be created early. */
    @Bean
    static MigrationsFirst autoPartitionMigrationsFirst() {
        return new MigrationsFirst();
    }

    @Bean
    HealthReads autoPartitionHealthReads(
            AutoPartition autoPartition,
            ObjectProvider<AutoPartitionMaintainer> maintainer,
            AutoPartitionHealthProperties properties) {
        return new HealthReads(
                autoPartition,
                history(autoPartition, maintainer),
                properties.migrationStuckAfter(),
                properties.cacheFor());
    }

    /**
     * This application's runs when it maintains; otherwise the engine catalog's work history, which shows what the
     * process that does maintain (another instance, the CLI, pg_cron) last did.
     */
    static Supplier<RunHistory> history(
            AutoPartition autoPartition, ObjectProvider<AutoPartitionMaintainer> maintainer) {
        RunHistory catalog = RunHistory.catalog(autoPartition);
        return () -> {
            AutoPartitionMaintainer own = maintainer.getIfAvailable();
            return own == null ? catalog : own.history();
        };
    }

    /** Spring Boot 4: health indicators live in spring-boot-health. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(name = "org.springframework.boot.health.contributor.HealthIndicator")
    @ConditionalOnProperty(prefix = "management.health.autopartition", name = "enabled", matchIfMissing = true)
    static class HealthConfiguration {
        @Bean
        @ConditionalOnMissingBean(name = "autoPartitionHealthIndicator")
        AutoPartitionHealthIndicator autoPartitionHealthIndicator(HealthReads reads) {
            return new AutoPartitionHealthIndicator(reads);
        }
    }

    /** Spring Boot 3: health indicators live in spring-boot-actuator. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(name = "org.springframework.boot.actuate.health.HealthIndicator")
    @ConditionalOnMissingClass("org.springframework.boot.health.contributor.HealthIndicator")
    @ConditionalOnProperty(prefix = "management.health.autopartition", name = "enabled", matchIfMissing = true)
    static class LegacyHealthConfiguration {
        @Bean
        @ConditionalOnMissingBean(name = "autoPartitionHealthIndicator")
        AutoPartitionLegacyHealthIndicator autoPartitionHealthIndicator(HealthReads reads) {
            return new AutoPartitionLegacyHealthIndicator(reads);
        }
    }

    /** Micrometer: Spring Boot binds every MeterBinder bean to its registries. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(name = "io.micrometer.core.instrument.binder.MeterBinder")
    static class MetricsConfiguration {
        @Bean
        AutoPartitionMetrics autoPartitionMetrics(
                HealthReads reads, AutoPartition autoPartition, ObjectProvider<AutoPartitionMaintainer> maintainer) {
            AutoPartitionMetrics metrics = new AutoPartitionMetrics(reads, history(autoPartition, maintainer));
            // a pass may add tables (a rule declared at run time): read once after each, so they get their meters
            maintainer.ifAvailable(m -> m.onReport(report -> reads.refresh()));
            return metrics;
        }
    }
}
