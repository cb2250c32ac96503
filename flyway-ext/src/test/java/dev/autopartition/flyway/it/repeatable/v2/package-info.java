/** A version of the repeatable rule migration for EditedMigrationIT. */
@NullMarked
package dev.autopartition.flyway.it.repeatable.v2;

import org.jspecify.annotations.NullMarked;
