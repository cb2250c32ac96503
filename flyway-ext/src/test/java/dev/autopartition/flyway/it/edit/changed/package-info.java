/** A version of V2 for EditedMigrationIT. */
@NullMarked
package dev.autopartition.flyway.it.edit.changed;

import org.jspecify.annotations.NullMarked;
