/** A Spring Boot application whose Liquibase changelog partitions its messages, kept current by the starter. */
@NullMarked
package dev.autopartition.samples.springboot;

import org.jspecify.annotations.NullMarked;
