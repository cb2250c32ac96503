package dev.autopartition;

/**
 * A statement could not get its lock within the lock timeout, on every try of its retry budget. Nothing was
 * changed by the failed step; running it again later is safe.
 */
public class LockTimeoutException extends AutoPartitionException {
    private static final long serialVersionUID = 1L;

    public LockTimeoutException(String message, Throwable cause) {
        super(message, cause);
    }
}
