/** Flyway migrations for the migrateToPartitioned integration tests. */
@NullMarked
package dev.autopartition.flyway.it.migrate.finalize;

import org.jspecify.annotations.NullMarked;
