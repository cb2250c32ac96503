/** Flyway migrations for TransactionalLockIT. */
@NullMarked
package dev.autopartition.flyway.it.lock.base;

import org.jspecify.annotations.NullMarked;
