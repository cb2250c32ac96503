/** Internal, no compatibility guarantees. */
@NullMarked
package dev.autopartition.internal.catalog;

import org.jspecify.annotations.NullMarked;
