/** The migrations of QuickStartIT, in Flyway's default location. */
@NullMarked
package db.migration;

import org.jspecify.annotations.NullMarked;
