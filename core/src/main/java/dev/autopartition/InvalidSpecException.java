package dev.autopartition;

/**
 * Bad input: a spec that cannot be carried out as given. It is always thrown before anything in the database
 * changes; the message names the object, the bad value and the fix.
 */
public class InvalidSpecException extends AutoPartitionException {
    private static final long serialVersionUID = 1L;

    public InvalidSpecException(String message) {
        super(message);
    }
}
