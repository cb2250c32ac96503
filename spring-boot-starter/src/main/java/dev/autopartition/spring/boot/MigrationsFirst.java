package dev.autopartition.spring.boot;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.beans.factory.config.BeanFactoryPostProcessor;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.util.ClassUtils;

/**
 * Makes the maintainer depend on the beans that run Spring Boot's Liquibase and Flyway migrations, so its start-up
 * pass sees the migrated schema even when those beans would otherwise be created later (lazy initialization).
 */
final class MigrationsFirst implements BeanFactoryPostProcessor {
    /** The migration runners of Spring Boot 3 and 4 (Boot 4 moved Flyway's to a module of its own). */
    private static final List<String> MIGRATION_BEAN_TYPES = List.of(
            "liquibase.integration.spring.SpringLiquibase",
            "org.springframework.boot.autoconfigure.flyway.FlywayMigrationInitializer",
            "org.springframework.boot.flyway.autoconfigure.FlywayMigrationInitializer");

    @Override
    public void postProcessBeanFactory(ConfigurableListableBeanFactory beanFactory) {
        ClassLoader loader = beanFactory.getBeanClassLoader();
        Set<String> migrations = new LinkedHashSet<>();
        for (String type : MIGRATION_BEAN_TYPES) {
            if (ClassUtils.isPresent(type, loader)) {
                Class<?> migrationType = ClassUtils.resolveClassName(type, loader);
                migrations.addAll(Arrays.asList(beanFactory.getBeanNamesForType(migrationType, true, false)));
            }
        }
        if (migrations.isEmpty()) {
            return;
        }
        for (String maintainer : beanFactory.getBeanNamesForType(AutoPartitionMaintainer.class, true, false)) {
            BeanDefinition definition = beanFactory.getBeanDefinition(maintainer);
            List<String> dependsOn = new ArrayList<>();
            String[] existing = definition.getDependsOn();
            if (existing != null) {
                dependsOn.addAll(Arrays.asList(existing));
            }
            migrations.stream().filter(m -> !dependsOn.contains(m)).forEach(dependsOn::add);
            definition.setDependsOn(dependsOn.toArray(String[]::new));
        }
    }
}
