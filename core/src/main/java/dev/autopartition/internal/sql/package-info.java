/** Internal, no compatibility guarantees. */
@NullMarked
package dev.autopartition.internal.sql;

import org.jspecify.annotations.NullMarked;
