package dev.autopartition.liquibase;

import dev.autopartition.InvalidSpecException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import liquibase.parser.core.ParsedNode;
import liquibase.parser.core.ParsedNodeException;

/**
 * The {@code foreignKeyKeyColumns} attribute of {@code migrateToPartitioned}: constraint=column pairs, written as text
 * in XML and as a map or a list in YAML and JSON.
 */
final class KeyColumns {
    private static final Pattern HINT = Pattern.compile("foreignKeyKeyColumn\\(\"([^\"]+)\", column\\)");

    private KeyColumns() {}

    /** Adds the changelog's form to messages where the engine names its Java option ({@code foreignKeyKeyColumn}). */
    static void hint(List<String> messages) {
        for (int i = 0; i < messages.size(); i++) {
            Matcher m = HINT.matcher(messages.get(i));
            if (m.find()) {
                messages.set(
                        i,
                        messages.get(i) + " In this change: foreignKeyKeyColumns=\"" + m.group(1)
                                + "=<column>\" (several pairs separated by commas).");
            }
        }
    }

    /**
     * YAML and JSON may give the pairs as a map ({@code {chat_messages_chat_id_fkey: chat_created_at}}) or a list
     * ({@code ["a_fkey=x", "b_fkey=y"]}); either becomes the comma-separated form, so the checksum is the one of the
     * same pairs written as text.
     */
    static void asText(ParsedNode parsedNode) throws ParsedNodeException {
        ParsedNode node = parsedNode.getChild(null, "foreignKeyKeyColumns");
        if (node != null) {
            List<String> pairs = new ArrayList<>();
            if (node.getValue() == null && !node.getChildren().isEmpty()) {
                for (ParsedNode pair : node.getChildren()) {
                    pairs.add(quoteIfNeeded(pair.getName()) + "=" + quoteIfNeeded(String.valueOf(pair.getValue())));
                }
            } else if (node.getValue() instanceof java.util.Collection<?> list) {
                list.forEach(item -> pairs.add(String.valueOf(item).trim()));
            }
            if (!pairs.isEmpty()) {
                parsedNode.removeChild(null, "foreignKeyKeyColumns");
                parsedNode.addChild(null, "foreignKeyKeyColumns", String.join(", ", pairs));
            }
        }
    }

    private static String quoteIfNeeded(String name) {
        return name.matches("[^\",=\\s]+") ? name : "\"" + name.replace("\"", "\"\"") + "\"";
    }

    /**
     * Parses {@code a_fkey=col, "Odd, Name"=other}: pairs separated by commas, constraint and column separated by
     * {@code =}; a name holding a comma, an equals sign, a quote or a space is written in double quotes (a quote
     * doubled inside). Names are the catalog's exact spelling.
     */
    static Map<String, String> parse(String text) {
        Map<String, String> out = new LinkedHashMap<>();
        int[] at = {0};
        int n = text.length();
        while (true) {
            String constraint = name(text, at, "constraint");
            skipSpace(text, at);
            if (at[0] >= n || text.charAt(at[0]) != '=') {
                throw new InvalidSpecException("foreignKeyKeyColumns '" + text + "' has no '=' after constraint "
                        + constraint + ". Fix: write constraint=column pairs separated by commas, such as"
                        + " chat_messages_chat_id_fkey=chat_created_at.");
            }
            at[0]++;
            String column = name(text, at, "column");
            if (out.put(constraint, column) != null) {
                throw new InvalidSpecException("foreignKeyKeyColumns '" + text + "' names constraint " + constraint
                        + " twice. Fix: name each foreign key once.");
            }
            skipSpace(text, at);
            if (at[0] >= n) {
                return out;
            }
            if (text.charAt(at[0]) != ',') {
                throw new InvalidSpecException("foreignKeyKeyColumns '" + text + "' has unexpected text at position "
                        + (at[0] + 1) + ". Fix: separate the constraint=column pairs with commas, and quote a name"
                        + " holding a comma, '=' or a space in double quotes.");
            }
            at[0]++;
        }
    }

    private static String name(String text, int[] at, String what) {
        skipSpace(text, at);
        int n = text.length();
        StringBuilder out = new StringBuilder();
        if (at[0] < n && text.charAt(at[0]) == '"') {
            at[0]++;
            while (true) {
                if (at[0] >= n) {
                    throw new InvalidSpecException("foreignKeyKeyColumns '" + text + "' has an unclosed quote. Fix:"
                            + " close it, and double a quote inside a name.");
                }
                char c = text.charAt(at[0]++);
                if (c == '"' && at[0] < n && text.charAt(at[0]) == '"') {
                    out.append('"');
                    at[0]++;
                } else if (c == '"') {
                    break;
                } else {
                    out.append(c);
                }
            }
        } else {
            while (at[0] < n && ",=".indexOf(text.charAt(at[0])) < 0) {
                out.append(text.charAt(at[0]++));
            }
        }
        String result = out.toString().trim();
        if (result.isEmpty()) {
            throw new InvalidSpecException("foreignKeyKeyColumns '" + text + "' has an empty " + what + " name. Fix:"
                    + " write constraint=column pairs separated by commas, such as"
                    + " chat_messages_chat_id_fkey=chat_created_at.");
        }
        return result;
    }

    private static void skipSpace(String text, int[] at) {
        while (at[0] < text.length() && Character.isWhitespace(text.charAt(at[0]))) {
            at[0]++;
        }
    }
}
