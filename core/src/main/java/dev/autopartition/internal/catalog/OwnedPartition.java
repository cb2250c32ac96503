package dev.autopartition.internal.catalog;

import dev.autopartition.TableName;
import org.jspecify.annotations.Nullable;

/**
 * A partition the engine created or adopted, as its own catalog records it.
 *
 * @param state {@code pending} (created, not attached yet), {@code attached}, or {@code detached}
 * @param source {@code created} or {@code adopted}
 * @param oid the partition's OID when it was recorded, or null
 */
public record OwnedPartition(
        long tableId,
        TableName name,
        @Nullable Long lower,
        @Nullable Long upper,
        boolean isDefault,
        String state,
        String source,
        @Nullable Long oid) {

    public boolean pending() {
        return state.equals("pending");
    }
}
