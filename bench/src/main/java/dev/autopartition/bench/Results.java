package dev.autopartition.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** One table of results, printed and written as Markdown and CSV. */
final class Results {
    /** One figure. */
    record Row(String section, String what, String value, String ratio, String note) {}

    private final List<Row> rows = new ArrayList<>();
    private final List<String> notes = new ArrayList<>();

    void add(String section, String what, String value, String ratio, String note) {
        rows.add(new Row(section, what, value, ratio, note));
        System.out.printf(Locale.ROOT, "  %-28s %-46s %18s %10s  %s%n", section, what, value, ratio, note);
    }

    void note(String note) {
        notes.add(note);
        System.out.println("  note: " + note);
    }

    String markdown(String header) {
        StringBuilder out = new StringBuilder(header)
                .append("\n\n| section | what | value | ratio | note |\n")
                .append("|---|---|---:|---:|---|\n");
        for (Row row : rows) {
            out.append("| ")
                    .append(row.section())
                    .append(" | ")
                    .append(row.what())
                    .append(" | ")
                    .append(row.value())
                    .append(" | ")
                    .append(row.ratio())
                    .append(" | ")
                    .append(row.note())
                    .append(" |\n");
        }
        for (String note : notes) {
            out.append("\n- ").append(note);
        }
        return out.append('\n').toString();
    }

    String csv() {
        StringBuilder out = new StringBuilder("section,what,value,ratio,note\n");
        for (Row row : rows) {
            out.append(quote(row.section()))
                    .append(',')
                    .append(quote(row.what()))
                    .append(',')
                    .append(quote(row.value()))
                    .append(',')
                    .append(quote(row.ratio()))
                    .append(',')
                    .append(quote(row.note()))
                    .append('\n');
        }
        return out.toString();
    }

    private static String quote(String value) {
        return '"' + value.replace("\"", "\"\"") + '"';
    }

    void write(Path directory, String header) throws IOException {
        Files.createDirectories(directory);
        Files.writeString(directory.resolve("results.md"), markdown(header), StandardCharsets.UTF_8);
        Files.writeString(directory.resolve("results.csv"), csv(), StandardCharsets.UTF_8);
    }

    static String fmt(double value, int decimals) {
        return String.format(Locale.ROOT, "%,." + decimals + "f", value);
    }
}
