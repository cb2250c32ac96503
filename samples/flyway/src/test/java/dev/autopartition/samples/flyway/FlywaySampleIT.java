package dev.autopartition.samples.flyway;

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
class FlywaySampleIT {
    @RegisterExtension
    static final PostgresExtension pg = new PostgresExtension();

    @Test
    void printsThePartitionsAndRowCountsTheDatabaseHolds() throws Exception {
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        ChatSample.Result result;
        try (PrintStream out = new PrintStream(buffer, true, StandardCharsets.UTF_8)) {
            result = FlywaySample.run(SampleDatabase.of(pg.database(), "the test database"), out, 0.1);
        }
        String output = buffer.toString(StandardCharsets.UTF_8);

        ScenarioChecks.assertPrintedWhatTheDatabaseHolds(output, result, pg.dataSource());
        assertThat(output)
                .contains("3. flyway migrate classpath:db/migration: done in ")
                .contains("     V0   << Flyway Baseline >>      BASELINE Success")
                .contains("     V1   partition chats            JDBC     Success")
                .contains("     V2   partition chat messages    JDBC     Success");
    }
}
