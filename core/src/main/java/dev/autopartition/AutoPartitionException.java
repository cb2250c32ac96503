package dev.autopartition;

/**
 * The root of every exception autopartition throws. Messages say what failed, on which (quoted) object, and what to
 * do about it.
 */
public class AutoPartitionException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public AutoPartitionException(String message) {
        super(message);
    }

    public AutoPartitionException(String message, Throwable cause) {
        super(message, cause);
    }
}
