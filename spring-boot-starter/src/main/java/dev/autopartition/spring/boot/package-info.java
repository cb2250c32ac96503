/**
 * Spring Boot auto-configuration for autopartition: maintenance on a schedule once Liquibase or Flyway has migrated,
 * an Actuator health indicator and Micrometer metrics. Add the starter and a DataSource; see docs/spring-boot.md.
 */
@NullMarked
package dev.autopartition.spring.boot;

import org.jspecify.annotations.NullMarked;
