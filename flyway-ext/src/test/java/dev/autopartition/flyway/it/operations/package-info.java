/** Flyway migrations for FlywayOperationsIT: one of each partitioning change. */
@NullMarked
package dev.autopartition.flyway.it.operations;

import org.jspecify.annotations.NullMarked;
