package dev.autopartition.liquibase;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Pattern;
import liquibase.util.LiquibaseUtil;

/**
 * Compares update-sql and rollback-sql output with the files in {@code src/test/resources/golden}. Only what truly
 * varies is normalised: when and where the script was made, the Liquibase version, the lock holder's host, the
 * deployment id, the changelog's format (XML, YAML and JSON must print the same SQL), and the shape of Liquibase's
 * own bookkeeping SQL, which differs between versions (4.23 sets the search path around every change set, writes a
 * NULL deployment id, and updates fewer columns of a re-run change set). The checksum and exec type of every change
 * set stay in the comparison.
 *
 * <p>{@code -Dgolden.update=true} rewrites the files from the actual output (review the diff before committing).
 */
final class Golden {
    private static final Pattern RAN_AT = Pattern.compile("(?m)^-- Ran at: .*$");
    private static final Pattern AGAINST = Pattern.compile("(?m)^-- Against: .*$");
    private static final Pattern VERSION_LINE = Pattern.compile("(?m)^-- Liquibase version: .*$");
    private static final Pattern LOCKED_BY = Pattern.compile("LOCKEDBY = '[^']*'");
    private static final Pattern DEPLOYMENT_ID = Pattern.compile("'\\d{10}'");
    private static final Pattern FORMAT = Pattern.compile("changelogs/(xml|yaml|json)/([\\w-]+)\\.(xml|yaml|json)");
    private static final Pattern SEARCH_PATH = Pattern.compile("(?m)^SET SEARCH_PATH TO .*;\\n\\n?");
    private static final Pattern INSERT_DEPLOYMENT =
            Pattern.compile("(?m)^(INSERT INTO public\\.databasechangelog .*), ('\\d{10}'|NULL)\\);$");
    private static final Pattern RERAN = Pattern.compile(
            "(?m)^UPDATE public\\.databasechangelog SET .*EXECTYPE = '(\\w+)'.*MD5SUM = '([^']*)'.* (WHERE ID = .*)$");

    private Golden() {}

    static String normalise(String output) {
        String out = output.replace("\r\n", "\n");
        out = RAN_AT.matcher(out).replaceAll("-- Ran at: <time>");
        out = AGAINST.matcher(out).replaceAll("-- Against: <database>");
        out = VERSION_LINE.matcher(out).replaceAll("-- Liquibase version: <version>");
        out = LOCKED_BY.matcher(out).replaceAll("LOCKEDBY = '<host>'");
        out = out.replace("'" + LiquibaseUtil.getBuildVersion() + "'", "'<version>'");
        out = SEARCH_PATH.matcher(out).replaceAll("");
        out = INSERT_DEPLOYMENT.matcher(out).replaceAll("$1, '<deployment>');");
        out = RERAN.matcher(out)
                .replaceAll("UPDATE public.databasechangelog SET EXECTYPE = '$1', MD5SUM = '$2', ... $3");
        out = DEPLOYMENT_ID.matcher(out).replaceAll("'<deployment>'");
        out = out.replaceAll("(?m)[ \\t]+$", "").replaceAll("\\n{3,}", "\n\n");
        out = FORMAT.matcher(out).replaceAll("changelogs/<format>/$2.<format>");
        return out.strip() + "\n";
    }

    static void assertMatches(String name, String actualOutput) {
        String actual = normalise(actualOutput);
        String resource = "golden/" + name;
        if (Boolean.getBoolean("golden.update")) {
            try {
                Path file = Path.of("src/test/resources", resource);
                Files.createDirectories(file.getParent());
                Files.writeString(file, actual, StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
            return;
        }
        String expected;
        try (InputStream in = Golden.class.getClassLoader().getResourceAsStream(resource)) {
            assertThat(in)
                    .as("golden file " + resource + " (create it with -Dgolden.update=true)")
                    .isNotNull();
            expected = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        assertThat(actual).as("SQL output compared with " + resource).isEqualTo(expected);
    }
}
