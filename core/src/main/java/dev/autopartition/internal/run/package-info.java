/**
 * Internal, no compatibility guarantees: how statements reach the server (the executor with its lock timeout, retries
 * and backoff) and where connections come from; used by maintenance and by the online migration alike.
 */
@NullMarked
package dev.autopartition.internal.run;

import org.jspecify.annotations.NullMarked;
