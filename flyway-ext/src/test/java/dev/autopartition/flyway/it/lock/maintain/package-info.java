/** Flyway migrations for TransactionalLockIT. */
@NullMarked
package dev.autopartition.flyway.it.lock.maintain;

import org.jspecify.annotations.NullMarked;
