/** The chat application migrated to daily partitions by Flyway Java migrations. */
@NullMarked
package dev.autopartition.samples.flyway;

import org.jspecify.annotations.NullMarked;
