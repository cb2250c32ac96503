package dev.autopartition;

import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * Bad input: a spec that cannot be carried out as given. It is always thrown before anything in the database
 * changes; the message names the object, the bad value and the fix, and {@link #field()} the option it is about.
 */
public class InvalidSpecException extends AutoPartitionException {
    private static final long serialVersionUID = 1L;

    private final @Nullable SpecField field;

    /** Bad input about the operation as a whole (or the state of the database), not one option. */
    public InvalidSpecException(String message) {
        this(null, message);
    }

    /** Bad input in one option. */
    public InvalidSpecException(@Nullable SpecField field, String message) {
        super(message);
        this.field = field;
    }

    /** The option the input is wrong in, or empty when it is about the operation as a whole. */
    public Optional<SpecField> field() {
        return Optional.ofNullable(field);
    }
}
