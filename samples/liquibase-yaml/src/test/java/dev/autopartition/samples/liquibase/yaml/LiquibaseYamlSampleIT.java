package dev.autopartition.samples.liquibase.yaml;

import static org.assertj.core.api.Assertions.assertThat;

import dev.autopartition.samples.common.ChatSample;
import dev.autopartition.samples.common.SampleDatabase;
import dev.autopartition.samples.common.ScenarioChecks;
import dev.autopartition.testing.PostgresExtension;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The sample on the embedded server, at a tenth of the reference data: what it prints is what the database holds. */
class LiquibaseYamlSampleIT {
    @RegisterExtension
    static final PostgresExtension pg = new PostgresExtension();

    @Test
    void printsThePartitionsAndRowCountsTheDatabaseHolds() throws Exception {
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        ChatSample.Result result;
        try (PrintStream out = new PrintStream(buffer, true, StandardCharsets.UTF_8)) {
            result = ChatSample.run(
                    SampleDatabase.of(pg.database(), "the test database"),
                    out,
                    0.1,
                    "test",
                    "liquibase update " + LiquibaseYamlSample.CHANGELOG,
                    LiquibaseYamlSample::update);
        }
        String output = buffer.toString(StandardCharsets.UTF_8);

        ScenarioChecks.assertPrintedWhatTheDatabaseHolds(output, result, pg.dataSource());
        assertThat(output)
                .contains("3. liquibase update db/changelog/chat.yaml: done in ")
                .contains("     chats-partitioned          EXECUTED  migrateToPartitioned")
                .contains("     chat-messages-partitioned  EXECUTED  migrateToPartitioned")
                .contains("     maintain-partitions        EXECUTED  maintainPartitions");
    }
}
