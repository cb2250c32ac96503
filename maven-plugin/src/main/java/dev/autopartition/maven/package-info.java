/**
 * The autopartition Maven goals: {@code plan}, {@code maintain} and {@code status}, each a thin {@code *Mojo} over the
 * core API: {@code maintain} applies an {@link dev.autopartition.Operation.Maintain}, {@code plan} plans it. Settings are shared by {@link dev.autopartition.maven.AbstractAutoPartitionMojo}.
 */
@NullMarked
package dev.autopartition.maven;

import org.jspecify.annotations.NullMarked;
