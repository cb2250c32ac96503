/**
 * The sample's Flyway migrations. Flyway finds Java migrations only in {@code classpath:} locations: this package is
 * {@code classpath:db/migration}.
 */
@NullMarked
package db.migration;

import org.jspecify.annotations.NullMarked;
