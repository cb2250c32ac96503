/** Internal, no compatibility guarantees. */
@NullMarked
package dev.autopartition.internal.spec;

import org.jspecify.annotations.NullMarked;
