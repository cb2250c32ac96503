/** Flyway Java-migration building blocks and a callback that keeps partitions current. */
@NullMarked
package dev.autopartition.flyway;

import org.jspecify.annotations.NullMarked;
