/**
 * What the samples share: the chat application of the reference workload ({@code ../shared/workload/}), a writer that
 * keeps inserting messages while the tables migrate, the listing of partitions with their bounds and row counts, and
 * the scenario that runs a sample's migration between them.
 */
@NullMarked
package dev.autopartition.samples.common;

import org.jspecify.annotations.NullMarked;
