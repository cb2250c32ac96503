package dev.autopartition.internal.plan;

import dev.autopartition.RetentionAction;
import dev.autopartition.TableName;
import java.util.Locale;
import org.jspecify.annotations.Nullable;

/** Apply retention to one partition: detach it, then drop it, keep it, or move it to another schema. */
public record RemovePartition(
        TableName parent,
        TableName partition,
        String range,
        RetentionAction action,
        @Nullable String targetSchema,
        Detach detach)
        implements Step {

    /** The range text of a removal that a user asked for, not retention. */
    public static final String ON_REQUEST = "on request";

    /** How the partition leaves its parent. */
    public enum Detach {
        /** {@code DETACH PARTITION ... CONCURRENTLY}: PostgreSQL 14+, no default partition, outside a transaction. */
        CONCURRENTLY,
        /** A plain detach, which needs ACCESS EXCLUSIVE on the parent, bounded by lock_timeout. */
        PLAIN,
        /** Finish a concurrent detach that was interrupted. */
        FINALIZE,
        /** It is already detached; only the action remains. */
        DONE
    }

    @Override
    public String describe() {
        String what = switch (action) {
            case DROP -> "drop";
            case DETACH -> "detach and keep";
            case MOVE -> "move to schema " + targetSchema;
        };
        String why = range.equals(ON_REQUEST) ? "on request" : range + ", past retention";
        return what + " partition " + partition + " of " + parent + " (" + why + "; detach "
                + detach.name().toLowerCase(Locale.ROOT) + ")";
    }
}
