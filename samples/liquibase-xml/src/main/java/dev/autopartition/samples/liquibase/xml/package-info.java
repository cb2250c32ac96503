/** The chat application migrated to daily partitions by a Liquibase XML changelog. */
@NullMarked
package dev.autopartition.samples.liquibase.xml;

import org.jspecify.annotations.NullMarked;
