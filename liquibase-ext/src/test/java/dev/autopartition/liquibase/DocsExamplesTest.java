package dev.autopartition.liquibase;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The migrateToPartitioned and finalizeMigration examples of docs/liquibase.md are quoted from the changelogs the integration tests run. */
class DocsExamplesTest {
    private static final Pattern BLOCK = Pattern.compile("(?s)```(xml|yaml)\\n(.*?)```");

    @Test
    void migrateToPartitionedExamplesAreTheTestedChangelogs() throws Exception {
        String doc = Files.readString(Path.of("../docs/liquibase.md"), StandardCharsets.UTF_8);
        String section = doc.substring(doc.indexOf("## migrateToPartitioned"), doc.indexOf("## finalizeMigration"));
        List<String> formats = new ArrayList<>();
        Matcher m = BLOCK.matcher(section);
        while (m.find()) {
            String format = m.group(1);
            formats.add(format);
            Path changelog = Path.of("src/test/resources/changelogs/migrate/chat." + format);
            assertThat(Files.readString(changelog, StandardCharsets.UTF_8))
                    .as("the " + format + " example of docs/liquibase.md is quoted from " + changelog)
                    .contains(m.group(2));
        }
        assertThat(formats).containsExactly("xml", "yaml");
    }

    @Test
    void theFinalizeMigrationExampleIsTheTestedChangelog() throws Exception {
        String doc = Files.readString(Path.of("../docs/liquibase.md"), StandardCharsets.UTF_8);
        String section = doc.substring(doc.indexOf("## finalizeMigration"), doc.indexOf("## update-sql"));
        Matcher m = BLOCK.matcher(section);
        assertThat(m.find()).as("an example in the finalizeMigration section").isTrue();
        assertThat(Files.readString(
                        Path.of("src/test/resources/changelogs/migrate/finalize.yaml"), StandardCharsets.UTF_8))
                .as("the example is quoted from the changelog MigrateToPartitionedIT runs")
                .contains(m.group(2));
    }
}
