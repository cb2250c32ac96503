package dev.autopartition;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The examples of the pacing section of docs/migrate-to-partitioned.md are quoted from this test, which runs them. */
class PacingDocsTest {
    private static final Pattern JAVA = Pattern.compile("(?s)```java\\n(.*?)```");

    private static final AutoPartitionSpec RULE = AutoPartitionSpec.builder(TableName.of("chat_messages"), "created_at")
            .increment("1 day")
            .build();

    @Test
    void theBudgetsAreOnByDefault() {
        AutoPartitionSpec rule = RULE;
        // docs: defaults
        MigrationSpec spec = MigrationSpec.builder(rule).build();
        // pacing on: the probe may get 1.5x slower (but 2 ms is always allowed), standbys 1 s behind
        assertThat(spec.pacing()).isTrue();
        assertThat(spec.latencyBudget()).isEqualTo(1.5);
        assertThat(spec.latencyFloor()).isEqualTo(Duration.ofMillis(2));
        assertThat(spec.standbyLagBudget()).isEqualTo(Duration.ofSeconds(1));
        // end
    }

    @Test
    void theBudgetsAreSetOnTheSpec() {
        AutoPartitionSpec rule = RULE;
        // docs: budgets
        MigrationSpec spec = MigrationSpec.builder(rule)
                .batchSize(20_000) // with pacing: the largest batch
                .parallelism(4) // the most workers
                .pause(Duration.ofMillis(10)) // the least pause
                .latencyBudget(2) // the application may get twice as slow, no more
                .latencyFloor(Duration.ofMillis(5)) // but a budget under 5 ms is noise
                .standbyLagBudget(Duration.ofSeconds(5)) // no standby more than 5 s behind
                .build();
        // end
        assertThat(spec.latencyBudget()).isEqualTo(2);
        assertThat(spec.standbyLagBudget()).isEqualTo(Duration.ofSeconds(5));
    }

    @Test
    void pacingCanBeTurnedOff() {
        AutoPartitionSpec rule = RULE;
        // docs: off
        MigrationSpec spec = MigrationSpec.builder(rule)
                .pacing(false) // the knobs alone, as before pacing existed
                .batchSize(20_000)
                .build();
        // end
        assertThat(spec.pacing()).isFalse();
    }

    @Test
    void theDocsQuoteTheseExamples() throws Exception {
        String doc = Files.readString(Path.of("../docs/migrate-to-partitioned.md"), StandardCharsets.UTF_8);
        int start = doc.indexOf("## Pacing");
        assertThat(start).as("a pacing section").isNotNegative();
        String section = doc.substring(start, doc.indexOf("\n## ", start + 1));
        String source = Files.readString(
                Path.of("src/test/java/dev/autopartition/PacingDocsTest.java"), StandardCharsets.UTF_8);
        Matcher m = JAVA.matcher(section);
        int examples = 0;
        while (m.find()) {
            examples++;
            for (String line : m.group(1).strip().split("\n")) {
                assertThat(source).as("the docs' example line is in this test").contains(line.strip());
            }
        }
        assertThat(examples).as("java examples in the pacing section").isEqualTo(3);
    }
}
