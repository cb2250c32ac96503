package dev.autopartition.liquibase;

import dev.autopartition.InvalidSpecException;
import dev.autopartition.PartitionBounds;
import java.util.ArrayList;
import java.util.List;
import liquibase.parser.core.ParsedNode;
import liquibase.parser.core.ParsedNodeException;
import org.jspecify.annotations.Nullable;

/**
 * The bound attributes of {@code createPartition} as written: a range ({@code from}/{@code to}), a list ({@code
 * values}, SQL-style text), a hash slot ({@code modulus}/{@code remainder}) or the default partition.
 */
record Bounds(
        @Nullable String from,
        @Nullable String to,
        @Nullable String values,
        @Nullable String modulus,
        @Nullable String remainder,
        @Nullable String defaultPartition) {

    /** Whether the bounds are a range. */
    boolean isRange() {
        return from != null || to != null;
    }

    /** The kind of partition: range, list, hash or default. */
    String kind() {
        return isRange()
                ? "range"
                : values != null ? "list" : modulus != null || remainder != null ? "hash" : "default";
    }

    /** Checks that exactly one kind of bounds is given, and that it is valid. */
    void check(Problems problems) {
        Boolean isDefault = problems.bool("defaultPartition", defaultPartition);
        Integer m = problems.integer("modulus", modulus);
        Integer r = problems.integer("remainder", remainder);
        List<String> kinds = new ArrayList<>();
        if (isRange()) {
            kinds.add("from/to (range)");
        }
        if (values != null) {
            kinds.add("values (list)");
        }
        if (modulus != null || remainder != null) {
            kinds.add("modulus/remainder (hash)");
        }
        if (Boolean.TRUE.equals(isDefault)) {
            kinds.add("defaultPartition (default)");
        }
        if (kinds.size() != 1) {
            problems.error(
                    null,
                    null,
                    (kinds.isEmpty() ? "gives no bounds" : "gives more than one kind of bounds: " + kinds)
                            + ". Fix: give exactly one of from and to (range), values (list), modulus and remainder"
                            + " (hash), or defaultPartition=\"true\".");
            return;
        }
        if (isRange()) {
            problems.require("from", from, "give the lower bound of the range (inclusive), such as 2022-01-01.");
            problems.require("to", to, "give the upper bound of the range (exclusive), such as 2022-02-01.");
        } else if (modulus != null || remainder != null) {
            problems.require("modulus", modulus, "give the hash modulus, such as 4.");
            problems.require("remainder", remainder, "give the remainder, from 0 to modulus - 1.");
            if (m != null && r != null) {
                problems.check("modulus/remainder", m + "/" + r, () -> PartitionBounds.hash(m, r));
            }
        } else if (values != null) {
            problems.check("values", values, () -> parse(String.valueOf(values)));
        }
    }

    /** The bounds, once the attributes are valid. */
    PartitionBounds bounds() {
        if (isRange()) {
            return PartitionBounds.range(String.valueOf(from), String.valueOf(to));
        }
        if (values != null) {
            return PartitionBounds.values(parse(values).toArray(new String[0]));
        }
        if (modulus != null && remainder != null) {
            return PartitionBounds.hash(Integer.parseInt(modulus.trim()), Integer.parseInt(remainder.trim()));
        }
        return PartitionBounds.defaultPartition();
    }

    /** The bounds as SQL, as written. */
    String text() {
        if (isRange()) {
            return "FOR VALUES FROM (" + from + ") TO (" + to + ")";
        }
        if (values != null) {
            return "FOR VALUES IN (" + values + ")";
        }
        if (modulus != null || remainder != null) {
            return "FOR VALUES WITH (MODULUS " + modulus + ", REMAINDER " + remainder + ")";
        }
        return "DEFAULT";
    }

    /** YAML and JSON may give the values as a list; it becomes the comma-separated form. */
    static void asText(ParsedNode parsedNode) throws ParsedNodeException {
        ParsedNode node = parsedNode.getChild(null, "values");
        if (node != null && node.getValue() instanceof java.util.Collection<?> list) {
            List<String> parts = new ArrayList<>();
            for (Object value : list) {
                parts.add(quoteIfNeeded(String.valueOf(value)));
            }
            node.setValue(String.join(", ", parts));
        }
    }

    /** Splits {@code a, 'b,c', 'it''s'} into its values; quoted values keep their spaces, others are trimmed. */
    static List<String> parse(String text) {
        List<String> out = new ArrayList<>();
        int i = 0;
        int n = text.length();
        while (true) {
            while (i < n && Character.isWhitespace(text.charAt(i))) {
                i++;
            }
            StringBuilder value = new StringBuilder();
            if (i < n && text.charAt(i) == '\'') {
                i++;
                while (true) {
                    if (i >= n) {
                        throw new InvalidSpecException("List values '" + text + "' have an unclosed quote. Fix: close"
                                + " it, and double a quote inside a value ('it''s').");
                    }
                    char c = text.charAt(i++);
                    if (c == '\'' && i < n && text.charAt(i) == '\'') {
                        value.append('\'');
                        i++;
                    } else if (c == '\'') {
                        break;
                    } else {
                        value.append(c);
                    }
                }
                while (i < n && Character.isWhitespace(text.charAt(i))) {
                    i++;
                }
                if (i < n && text.charAt(i) != ',') {
                    throw new InvalidSpecException("List values '" + text + "' have text after a quoted value. Fix:"
                            + " separate the values with commas, and double a quote inside a value ('it''s').");
                }
                out.add(value.toString());
            } else {
                while (i < n && text.charAt(i) != ',') {
                    value.append(text.charAt(i++));
                }
                String plain = value.toString().trim();
                if (plain.isEmpty()) {
                    throw new InvalidSpecException("List values '" + text + "' contain an empty value. Fix: remove"
                            + " the extra comma, or write an empty string as ''.");
                }
                out.add(plain);
            }
            if (i >= n) {
                return out;
            }
            i++; // the comma
        }
    }

    private static String quoteIfNeeded(String value) {
        return value.isEmpty() || value.contains(",") || value.contains("'") || !value.equals(value.trim())
                ? "'" + value.replace("'", "''") + "'"
                : value;
    }
}
