/** Flyway migrations for TransactionalLockIT. */
@NullMarked
package dev.autopartition.flyway.it.lock.raw;

import org.jspecify.annotations.NullMarked;
