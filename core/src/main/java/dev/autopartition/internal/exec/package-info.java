/** Internal, no compatibility guarantees. */
@NullMarked
package dev.autopartition.internal.exec;

import org.jspecify.annotations.NullMarked;
