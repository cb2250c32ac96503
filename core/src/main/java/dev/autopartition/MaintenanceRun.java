package dev.autopartition;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * One entry of the work history: what one maintenance run did to one table, and who ran it. Runs that found nothing
 * to do are not recorded; the engine keeps the newest 1,000 entries per table (the {@code history_rows_per_table}
 * row of the catalog's {@code setting} table).
 *
 * @param runBy the Java maintainer or the in-database procedure
 * @param created the partitions created
 * @param removed the partitions dropped, detached or moved by retention
 * @param movedRows rows moved out of the default partition
 * @param skipped why the table was skipped (busy, disabled, gone), or null
 * @param error what failed, or null
 * @param databaseUser the database user that ran it
 */
public record MaintenanceRun(
        long id,
        TableName table,
        Instant startedAt,
        Duration duration,
        Runner runBy,
        Outcome outcome,
        List<String> created,
        List<String> removed,
        long movedRows,
        @Nullable String skipped,
        @Nullable String error,
        @Nullable String databaseUser) {

    /** Who ran maintenance. */
    public enum Runner {
        /** The Java maintainer: {@code maintain()}, the scheduler, a front end. */
        JAVA,
        /** The in-database procedure, usually from pg_cron. */
        DATABASE
    }

    /** How a run ended for the table. */
    public enum Outcome {
        /** It created or removed partitions. */
        CHANGED,
        /** A step failed; the table's later steps wait for the next run. */
        FAILED,
        /** The table was skipped. */
        SKIPPED
    }

    public MaintenanceRun {
        created = List.copyOf(created);
        removed = List.copyOf(removed);
    }
}
