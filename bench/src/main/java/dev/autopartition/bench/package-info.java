/** Benchmarks: migration throughput, application impact, maintenance cost and planning scale. */
@NullMarked
package dev.autopartition.bench;

import org.jspecify.annotations.NullMarked;
