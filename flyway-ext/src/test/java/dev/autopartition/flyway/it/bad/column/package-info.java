/** A Flyway migration with bad input, for BadInputIT. */
@NullMarked
package dev.autopartition.flyway.it.bad.column;

import org.jspecify.annotations.NullMarked;
