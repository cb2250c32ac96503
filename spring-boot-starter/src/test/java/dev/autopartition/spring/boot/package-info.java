@NullMarked
package dev.autopartition.spring.boot;

import org.jspecify.annotations.NullMarked;
