/** The chat application migrated to daily partitions by a Liquibase YAML changelog. */
@NullMarked
package dev.autopartition.samples.liquibase.yaml;

import org.jspecify.annotations.NullMarked;
