/** The chat application of the reference workload, run through the Java API. */
@NullMarked
package dev.autopartition.samples;

import org.jspecify.annotations.NullMarked;
