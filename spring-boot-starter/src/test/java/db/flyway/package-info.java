/** Flyway migrations of the starter's tests ({@code classpath:db/flyway}). */
@NullMarked
package db.flyway;

import org.jspecify.annotations.NullMarked;
