package dev.autopartition.internal.sql;

import dev.autopartition.InvalidSpecException;
import dev.autopartition.TableName;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The one place identifiers are quoted and text literals are written. Everything that puts a name or a value into
 * SQL text goes through here.
 */
public final class Sql {
    /** PostgreSQL's NAMEDATALEN - 1: longer names would be truncated silently by the server. */
    public static final int MAX_IDENTIFIER_BYTES = 63;

    private Sql() {}

    /** Quotes an identifier, always, doubling any double quote inside it. */
    public static String quote(String identifier) {
        return '"' + identifier.replace("\"", "\"\"") + '"';
    }

    /**
     * A text literal. Requires standard_conforming_strings = on (checked once per connection), under which a
     * backslash has no special meaning and doubling the single quote is the only escape needed.
     */
    public static String literal(String value) {
        if (value.indexOf('\0') >= 0) {
            throw new IllegalArgumentException("A text literal cannot contain NUL");
        }
        return '\'' + value.replace("'", "''") + '\'';
    }

    /** The byte length of an identifier as the server counts it (UTF-8). */
    public static int byteLength(String identifier) {
        return identifier.getBytes(StandardCharsets.UTF_8).length;
    }

    /** Rejects names PostgreSQL would refuse or truncate. */
    public static void checkIdentifier(String identifier, String what) {
        if (identifier.isEmpty()) {
            throw new InvalidSpecException("The " + what + " is empty. Fix: give a name.");
        }
        if (identifier.indexOf('\0') >= 0) {
            throw new InvalidSpecException("The " + what + " " + quote(identifier.replace("\0", "\\0"))
                    + " contains a NUL character. Fix: remove it.");
        }
        if (byteLength(identifier) > MAX_IDENTIFIER_BYTES) {
            throw new InvalidSpecException("The " + what + " " + quote(identifier) + " is " + byteLength(identifier)
                    + " bytes long; PostgreSQL keeps only " + MAX_IDENTIFIER_BYTES
                    + ". Fix: use a name of at most 63 bytes.");
        }
    }

    /**
     * Cuts a name to at most {@code maxBytes} bytes of UTF-8 without splitting a character.
     *
     * @return the longest prefix that fits
     */
    public static String truncateToBytes(String name, int maxBytes) {
        int bytes = 0;
        int end = 0;
        while (end < name.length()) {
            int cp = name.codePointAt(end);
            int len = new String(Character.toChars(cp)).getBytes(StandardCharsets.UTF_8).length;
            if (bytes + len > maxBytes) {
                break;
            }
            bytes += len;
            end += Character.charCount(cp);
        }
        return name.substring(0, end);
    }

    /** Parses {@code name}, {@code schema.name} and quoted parts, as SQL does. */
    public static TableName parseQualifiedName(String text) {
        List<String> parts = splitQualified(text.trim());
        if (parts.size() == 1) {
            return TableName.of("public", parts.get(0));
        }
        if (parts.size() == 2) {
            return TableName.of(parts.get(0), parts.get(1));
        }
        throw new InvalidSpecException("Table name '" + text + "' does not parse. Fix: write table, schema.table or"
                + " \"Schema\".\"Table\".");
    }

    private static List<String> splitQualified(String text) {
        List<String> parts = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        boolean quoted = false;
        boolean wasQuoted = false;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (quoted) {
                if (c == '"' && i + 1 < text.length() && text.charAt(i + 1) == '"') {
                    current.append('"');
                    i++;
                } else if (c == '"') {
                    quoted = false;
                } else {
                    current.append(c);
                }
            } else if (c == '"') {
                quoted = true;
                wasQuoted = true;
            } else if (c == '.') {
                parts.add(finish(current, wasQuoted, text));
                current.setLength(0);
                wasQuoted = false;
            } else {
                current.append(c);
            }
        }
        if (quoted) {
            throw new InvalidSpecException("Table name '" + text + "' has an unclosed quote. Fix: close it.");
        }
        parts.add(finish(current, wasQuoted, text));
        return parts;
    }

    private static String finish(StringBuilder part, boolean wasQuoted, String text) {
        String value = wasQuoted ? part.toString() : part.toString().trim().toLowerCase(Locale.ROOT);
        if (value.isEmpty()) {
            throw new InvalidSpecException("Table name '" + text + "' has an empty part. Fix: write schema.table.");
        }
        return value;
    }
}
