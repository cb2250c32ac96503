/**
 * Internal, no compatibility guarantees: how fast an online migration may copy, verify and replay, so that the
 * application and the standbys stay inside their budgets.
 */
@NullMarked
package dev.autopartition.internal.pace;

import org.jspecify.annotations.NullMarked;
