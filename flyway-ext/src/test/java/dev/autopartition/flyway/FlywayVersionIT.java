package dev.autopartition.flyway;

/** {@link FlywayVersionTest} on the integration tests' class path (failsafe swaps Flyway the same way). */
class FlywayVersionIT extends FlywayVersionTest {}
