package dev.autopartition.internal.migrate;

import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * One partition of the new table and how far its load has come.
 *
 * @param state {@code planned}, {@code loading} (with a cursor) or {@code attached}
 * @param cursor the key (as the long of its {@code KeyType}) below which every row is copied, as text, or null
 *     before the first batch
 */
record TargetPartition(
        String name,
        long lower,
        long upper,
        String state,
        @Nullable List<String> cursor,
        long rowsCopied) {}
