/** Flyway migrations for AfterMigrateCallbackIT. */
@NullMarked
package dev.autopartition.flyway.it.callback;

import org.jspecify.annotations.NullMarked;
