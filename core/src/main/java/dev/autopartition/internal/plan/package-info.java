/** Internal, no compatibility guarantees. */
@NullMarked
package dev.autopartition.internal.plan;

import org.jspecify.annotations.NullMarked;
