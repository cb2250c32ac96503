package dev.autopartition.liquibase;

import static org.assertj.core.api.Assertions.assertThat;

import dev.autopartition.testing.PostgresExtension;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The Liquibase command line ({@code liquibase.integration.commandline.LiquibaseCommandLine}, what the {@code liquibase}
 * script runs) in its own JVM with this jar on the class path: the clock comes from the environment variable {@code
 * LIQUIBASE_AUTOPARTITION_NOW}, the lock timeout from the global option {@code --autopartition-lock-timeout} that
 * Liquibase derives from the configuration key.
 */
class LiquibaseCliIT {
    @RegisterExtension
    static final PostgresExtension pg = new PostgresExtension();

    @Test
    void updateSqlAndUpdateFromTheCommandLine() throws Exception {
        pg.execute("CREATE TABLE clicks (clicked_at timestamptz NOT NULL, url text) PARTITION BY RANGE (clicked_at)");

        Result sql = liquibase("update-sql");
        assertThat(sql.exitCode()).as("update-sql exit code:\n" + sql.output()).isZero();
        assertThat(sql.output())
                .as("the plan, with the clock from LIQUIBASE_AUTOPARTITION_NOW")
                .contains("-- Planned with the clock fixed at 2022-01-12T10:00:00Z (liquibase.autopartition.now).")
                .contains("ALTER TABLE \"public\".\"clicks\" ATTACH PARTITION \"public\".\"clicks_p20220110\"");

        Result update = liquibase("update");
        assertThat(update.exitCode())
                .as("update exit code:\n" + update.output())
                .isZero();
        assertThat(new Db(pg.database()).partitionNames("clicks"))
                .as("weekly partitions from Monday the 10th, 2 ahead")
                .containsExactly("clicks_p20220110", "clicks_p20220117", "clicks_p20220124");
    }

    private record Result(int exitCode, String output) {}

    private static Result liquibase(String command) throws IOException, InterruptedException {
        List<String> args = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Dliquibase.analytics.enabled=false",
                "-cp",
                System.getProperty("java.class.path"),
                "liquibase.integration.commandline.LiquibaseCommandLine",
                "--url=" + pg.database().jdbcUrl(),
                "--username=" + pg.database().user(),
                "--autopartition-lock-timeout=2s",
                "--log-level=WARNING",
                command,
                "--changelog-file=changelogs/cli/cli.yaml"));
        if (!pg.database().password().isEmpty()) {
            args.add(5, "--password=" + pg.database().password());
        }
        ProcessBuilder builder = new ProcessBuilder(args).redirectErrorStream(true);
        builder.environment().put("LIQUIBASE_AUTOPARTITION_NOW", "2022-01-12T10:00:00Z");
        Process process = builder.start();
        byte[] output = process.getInputStream().readAllBytes();
        boolean done = process.waitFor(120, TimeUnit.SECONDS);
        return new Result(done ? process.exitValue() : -1, new String(output, StandardCharsets.UTF_8));
    }
}
