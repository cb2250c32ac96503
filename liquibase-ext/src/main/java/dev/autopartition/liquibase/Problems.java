package dev.autopartition.liquibase;

import dev.autopartition.InvalidSpecException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.jspecify.annotations.Nullable;

/**
 * The validation problems of one change. Every message names the change, its change set, the attribute and its value,
 * and ends with the fix (the engine's own messages already carry one).
 */
final class Problems {
    private final String where;
    private final List<String> errors = new ArrayList<>();
    private final List<String> warnings = new ArrayList<>();

    /**
     * @param where the change and its change set, such as {@code autoPartition in change set a.xml::1::me}
     */
    Problems(String where) {
        this.where = where;
    }

    /** Work that may throw {@link InvalidSpecException}. */
    @FunctionalInterface
    interface Check {
        void run();
    }

    List<String> errors() {
        return errors;
    }

    List<String> warnings() {
        return warnings;
    }

    boolean hasErrors() {
        return !errors.isEmpty();
    }

    void error(@Nullable String attribute, @Nullable String value, String message) {
        errors.add(format(attribute, value, message));
    }

    void warning(@Nullable String attribute, @Nullable String value, String message) {
        warnings.add(format(attribute, value, message));
    }

    String format(@Nullable String attribute, @Nullable String value, String message) {
        StringBuilder out = new StringBuilder(where);
        if (attribute != null) {
            out.append(", attribute ").append(attribute);
            if (value != null) {
                out.append("='").append(value).append('\'');
            }
        }
        return out.append(": ").append(message).toString();
    }

    /** Runs a check; an {@link InvalidSpecException} becomes an error on the attribute. */
    boolean check(@Nullable String attribute, @Nullable String value, Check check) {
        try {
            check.run();
            return true;
        } catch (InvalidSpecException e) {
            error(attribute, value, String.valueOf(e.getMessage()));
            return false;
        }
    }

    /** Reports a missing required attribute; returns whether it is there. */
    boolean require(String attribute, @Nullable String value, String fix) {
        if (value == null || value.isBlank()) {
            error(attribute, null, "is required. Fix: " + fix);
            return false;
        }
        return true;
    }

    /** Parses a whole-number attribute, or reports it. */
    @Nullable
    Integer integer(String attribute, @Nullable String value) {
        if (value == null) {
            return null;
        }
        try {
            return Integer.valueOf(value.trim());
        } catch (NumberFormatException e) {
            error(attribute, value, "is not a whole number. Fix: write a number such as 3.");
            return null;
        }
    }

    /** Parses a true/false attribute, or reports it. */
    @Nullable
    Boolean bool(String attribute, @Nullable String value) {
        if (value == null) {
            return null;
        }
        Boolean parsed = parseBoolean(value);
        if (parsed == null) {
            error(attribute, value, "is not true or false. Fix: write true or false.");
        }
        return parsed;
    }

    static @Nullable Boolean parseBoolean(String value) {
        return switch (value.trim().toLowerCase(Locale.ROOT)) {
            case "true", "yes", "on", "1" -> Boolean.TRUE;
            case "false", "no", "off", "0" -> Boolean.FALSE;
            default -> null;
        };
    }
}
