package dev.autopartition.cli;

/** A failure of the command line itself (a bad URL, nothing to resume) whose message is written for users. */
final class CliException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    CliException(String message) {
        super(message);
    }

    CliException(String message, Throwable cause) {
        super(message, cause);
    }
}
