package dev.autopartition.samples.springboot;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** docs/spring-boot.md quotes the sample: every tagged region of the sample appears there as it is. */
class DocsQuoteTheSampleTest {
    private static final Path MODULE = Path.of(System.getProperty("user.dir"));
    private static final Pattern REGION =
            Pattern.compile("(?:#|//) tag::(\\w+)\\[]\\R(.*?)\\R\\s*(?:#|//) end::\\1\\[]", Pattern.DOTALL);

    @Test
    void everyTaggedRegionIsInTheDoc() throws IOException {
        String doc = Files.readString(MODULE.resolve("../../docs/spring-boot.md"), StandardCharsets.UTF_8);
        int regions = 0;
        for (String file : List.of(
                "src/main/java/dev/autopartition/samples/springboot/ChatApplication.java",
                "src/main/resources/application.properties",
                "src/test/java/dev/autopartition/samples/springboot/ChatApplicationIT.java",
                "src/test/java/dev/autopartition/samples/springboot/ActuatorOverHttpIT.java")) {
            Matcher region = REGION.matcher(Files.readString(MODULE.resolve(file), StandardCharsets.UTF_8));
            while (region.find()) {
                regions++;
                assertThat(doc)
                        .as("docs/spring-boot.md quotes region " + region.group(1) + " of " + file)
                        .contains(dedent(region.group(2)));
            }
        }
        assertThat(regions).as("tagged regions found").isEqualTo(5);
    }

    private static String dedent(String text) {
        List<String> lines = text.lines().toList();
        int indent = lines.stream()
                .filter(l -> !l.isBlank())
                .mapToInt(l -> l.length() - l.stripLeading().length())
                .min()
                .orElse(0);
        return String.join(
                "\n",
                lines.stream()
                        .map(l -> l.length() >= indent ? l.substring(indent) : l)
                        .toList());
    }
}
