/**
 * Liquibase change types on the autopartition engine: {@code autoPartition}, {@code createPartition}, {@code
 * dropAutoPartition}, {@code dropPartition} and {@code maintainPartitions}, in the XML namespace {@value
 * dev.autopartition.liquibase.AbstractPartitionChange#NAMESPACE} and as plain YAML/JSON change names. Settings that are
 * not per change come from {@link dev.autopartition.liquibase.AutoPartitionConfiguration} ({@code
 * liquibase.autopartition.*}).
 */
@NullMarked
package dev.autopartition.liquibase;

import org.jspecify.annotations.NullMarked;
