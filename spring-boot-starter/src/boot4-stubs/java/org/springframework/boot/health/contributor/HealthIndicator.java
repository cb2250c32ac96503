package org.springframework.boot.health.contributor;

/** Compile-time stub of the one method the starter implements; never compiled into the jar. */
public interface HealthIndicator {
    Health health();
}
