/** Internal, no compatibility guarantees: online migration of a plain table into a partitioned one. */
@NullMarked
package dev.autopartition.internal.migrate;

import org.jspecify.annotations.NullMarked;
