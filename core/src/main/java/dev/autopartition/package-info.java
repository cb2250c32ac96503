/**
 * The public API of autopartition. {@link dev.autopartition.AutoPartition} is the entry point; specs are immutable
 * records validated when they are built; every failure is an {@link dev.autopartition.AutoPartitionException}.
 */
@NullMarked
package dev.autopartition;

import org.jspecify.annotations.NullMarked;
