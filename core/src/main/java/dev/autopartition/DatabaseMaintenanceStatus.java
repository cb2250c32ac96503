package dev.autopartition;

import org.jspecify.annotations.Nullable;

/**
 * Whether in-database maintenance is installed, and its pg_cron job.
 *
 * @param installed whether the procedure {@code <catalog>.run_maintenance()} exists
 * @param procedure the procedure's qualified name
 * @param cronJobId the pg_cron job that calls it, or null when none (or pg_cron is absent from this database)
 * @param cronSchedule the job's schedule, or null
 * @param cronActive whether the job is active, or null
 */
public record DatabaseMaintenanceStatus(
        boolean installed,
        String procedure,
        @Nullable Long cronJobId,
        @Nullable String cronSchedule,
        @Nullable Boolean cronActive) {}
