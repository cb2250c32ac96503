/** Flyway migrations for the migrateToPartitioned integration tests. */
@NullMarked
package dev.autopartition.flyway.it.migrate.resume;

import org.jspecify.annotations.NullMarked;
