/** A Flyway migration with bad input, for BadInputIT. */
@NullMarked
package dev.autopartition.flyway.it.bad.increment;

import org.jspecify.annotations.NullMarked;
