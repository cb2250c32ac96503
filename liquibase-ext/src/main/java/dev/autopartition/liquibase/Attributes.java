package dev.autopartition.liquibase;

import dev.autopartition.SpecField;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import liquibase.Scope;
import liquibase.change.Change;
import liquibase.change.ChangeFactory;
import liquibase.change.ChangeParameterMetaData;
import liquibase.parser.core.ParsedNode;
import liquibase.parser.core.ParsedNodeException;
import org.jspecify.annotations.Nullable;

/**
 * The attributes of a change as Liquibase sees them: found by its metadata, which introspects the getters and setters
 * a change type declares or inherits from its bases ({@link TableChange}, {@link RuleChange}, ...).
 */
final class Attributes {
    private Attributes() {}

    /** YAML turns an unquoted 2022-01-01 into a date; it becomes the text it was, so checksums match XML's. */
    static void datesAsText(ParsedNode node) throws ParsedNodeException {
        for (ParsedNode child : node.getChildren()) {
            if (child.getValue() instanceof java.util.Date date) {
                OffsetDateTime at = date.toInstant().atOffset(ZoneOffset.UTC);
                child.setValue(
                        at.toLocalTime().equals(LocalTime.MIDNIGHT)
                                ? at.toLocalDate().toString()
                                : date.toInstant().toString());
            }
        }
    }

    /** The attribute names of the change, sorted. */
    static Set<String> names(Change change) {
        return new TreeSet<>(parameters(change).keySet());
    }

    /** The value of an attribute as written, or null (also for combined names such as {@code from/to}). */
    static @Nullable String valueOf(Change change, @Nullable String attribute) {
        if (attribute == null) {
            return null;
        }
        ChangeParameterMetaData parameter = parameters(change).get(attribute);
        Object value = parameter == null ? null : parameter.getCurrentValue(change);
        return value == null ? null : value.toString();
    }

    /**
     * The attribute of the change an option of the engine is about, or null when it has none: the option's own name
     * ({@link SpecField#option()}), except for the table, the column, the partition and the foreign keys, whose
     * attributes are named as in Liquibase's own change types. A combined option ({@code from/to}) is kept when the
     * change has each part.
     */
    static @Nullable String of(Change change, SpecField field) {
        String attribute = switch (field) {
            case TABLE -> "tableName";
            case COLUMN -> "columnName";
            case PARTITION -> "partitionName";
            case FOREIGN_KEY_KEY_COLUMN -> "foreignKeyKeyColumns";
            default -> field.option();
        };
        Set<String> known = names(change);
        return Arrays.stream(attribute.split("/")).allMatch(known::contains) ? attribute : null;
    }

    /** The attribute of the change a misspelt one most likely meant. */
    static String closest(Change change, String unknown) {
        return names(change).stream()
                .min(Comparator.comparingInt(
                        known -> distance(unknown.toLowerCase(Locale.ROOT), known.toLowerCase(Locale.ROOT))))
                .orElse("another attribute");
    }

    /** Levenshtein distance, for suggesting the attribute a typo meant. */
    static int distance(String a, String b) {
        int[] previous = new int[b.length() + 1];
        int[] current = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            previous[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            current[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                current[j] = Math.min(Math.min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + cost);
            }
            int[] swap = previous;
            previous = current;
            current = swap;
        }
        return previous[b.length()];
    }

    private static Map<String, ChangeParameterMetaData> parameters(Change change) {
        return Scope.getCurrentScope()
                .getSingleton(ChangeFactory.class)
                .getChangeMetaData(change)
                .getParameters();
    }
}
