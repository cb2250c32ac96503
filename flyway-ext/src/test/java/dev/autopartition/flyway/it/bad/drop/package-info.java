/** A Flyway migration with bad input, for BadInputIT. */
@NullMarked
package dev.autopartition.flyway.it.bad.drop;

import org.jspecify.annotations.NullMarked;
