package dev.autopartition.cli;

/** The exit codes of every command; scripts can rely on them. */
final class ExitCodes {
    /** Done. */
    static final int OK = 0;
    /** Failed: the message on stderr says what and how to fix it. */
    static final int FAILED = 1;
    /** The command line could not be parsed (picocli's code for invalid input). */
    static final int USAGE = 2;
    /**
     * The command worked and the answer is "not yet": {@code plan --check} found work pending, {@code status --check}
     * found a table that needs attention, {@code find-partition} found no partition, {@code migrate status} found no
     * migration.
     */
    static final int PENDING = 3;
    /** A statement did not get its lock within the lock timeout on any try; nothing changed, run it again later. */
    static final int LOCK_TIMEOUT = 4;

    // The lines of the "Exit codes" section of the help.
    static final String HELP_OK = "0:done";
    static final String HELP_FAILED = "1:failed (the message on stderr says why and what to do)";
    static final String HELP_USAGE = "2:invalid command line";
    static final String HELP_PENDING = "3:checked, and not done: plan --check found work pending, status --check a"
            + " table that needs attention, find-partition no partition, migrate status no migration";
    static final String HELP_LOCK_TIMEOUT =
            "4:a lock was not granted within its timeout; nothing changed, run it again";

    private ExitCodes() {}
}
