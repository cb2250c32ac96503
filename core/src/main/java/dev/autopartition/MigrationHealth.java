package dev.autopartition;

import java.time.Duration;

/**
 * An online migration that is not finalized or aborted.
 *
 * @param sinceProgress how long ago its catalog rows last changed (a batch copied, a phase reached, a cutover tried)
 * @param stuck whether it is before its cutover and made no progress for longer than the health check allows
 */
public record MigrationHealth(MigrationStatus status, Duration sinceProgress, boolean stuck) {

    public TableName table() {
        return status.table();
    }
}
