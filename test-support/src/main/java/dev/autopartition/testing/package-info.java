/**
 * Test support: a real PostgreSQL for every test class. {@link dev.autopartition.testing.PostgresExtension} is the
 * JUnit 5 entry point; {@link dev.autopartition.testing.PostgresServer} starts or reaches the server.
 */
@NullMarked
package dev.autopartition.testing;

import org.jspecify.annotations.NullMarked;
