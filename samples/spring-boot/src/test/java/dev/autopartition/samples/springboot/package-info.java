@NullMarked
package dev.autopartition.samples.springboot;

import org.jspecify.annotations.NullMarked;
