package dev.autopartition.liquibase;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import dev.autopartition.testing.PostgresExtension;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The real liquibase-maven-plugin (of the Liquibase version under test) runs {@code updateSQL} and {@code update} with
 * this jar as a plugin dependency, in a separate Maven, offline: this build's jars come from a private repository that
 * maven-invoker-plugin:install filled, everything else (the plugin, the driver) from the build's local repository,
 * used as a read-only tail.
 */
class LiquibaseMavenPluginIT {
    @RegisterExtension
    static final PostgresExtension pg = new PostgresExtension();

    @Test
    void liquibaseUpdateThroughTheMavenPlugin() throws Exception {
        String mavenHome = System.getProperty("it.maven.home");
        String repository = System.getProperty("it.repository");
        assumeThat(mavenHome != null && repository != null && System.getProperty("it.local.repository") != null)
                .as("run by Maven's failsafe plugin, which passes it.maven.home, it.repository and"
                        + " it.local.repository")
                .isTrue();
        String liquibase = System.getProperty("liquibase.test.version", "4.33.0");
        Path project = copyProject(Path.of("target", "it-work", "liquibase-maven-" + liquibase));
        pg.execute(
                "CREATE TABLE page_views (viewed_at timestamptz NOT NULL, path text) PARTITION BY RANGE (viewed_at)");

        List<String> command = new ArrayList<>(List.of(
                Path.of(String.valueOf(mavenHome), "bin", "mvn").toString(),
                "-B",
                "-o",
                "-ntp",
                "-Dmaven.repo.local=" + Path.of(String.valueOf(repository)).toAbsolutePath(),
                "-Dmaven.repo.local.tail=" + System.getProperty("it.local.repository"),
                "-Dliquibase.version=" + liquibase,
                "-Dautopartition.version=" + System.getProperty("it.project.version", "0.1.0-SNAPSHOT"),
                "-Ddb.url=" + pg.database().jdbcUrl(),
                "-Ddb.username=" + pg.database().user(),
                "-Ddb.password=" + pg.database().password(),
                "liquibase:updateSQL",
                "liquibase:update"));
        Path log = project.resolve("build.log");
        Process process = new ProcessBuilder(command)
                .directory(project.toFile())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        boolean finished = process.waitFor(240, TimeUnit.SECONDS);
        if (!finished) {
            process.destroyForcibly();
        }
        String output = Files.readString(log, StandardCharsets.UTF_8);
        assertThat(finished).as("Maven finished within 4 minutes:\n" + output).isTrue();
        assertThat(process.exitValue()).as("Maven's exit code:\n" + output).isZero();

        String sql = Files.readString(project.resolve("target/liquibase/migrate.sql"), StandardCharsets.UTF_8);
        assertThat(sql)
                .as("updateSQL printed the exact DDL, planned with the clock from <systemProperties>")
                .contains("-- Planned with the clock fixed at 2022-01-10T00:00:00Z (liquibase.autopartition.now).")
                .contains("ALTER TABLE \"public\".\"page_views\" ATTACH PARTITION \"public\".\"page_views_p20220110\"");
        Db db = new Db(pg.database());
        assertThat(db.partitionNames("page_views"))
                .as("liquibase:update created today's partition and 2 ahead")
                .containsExactly("page_views_p20220110", "page_views_p20220111", "page_views_p20220112");
        assertThat(db.history()).as("history").containsOnlyKeys("page-views-rule", "maintain");
    }

    private static Path copyProject(Path target) throws IOException {
        Path source = Path.of("src", "it", "liquibase-maven");
        if (Files.exists(target)) {
            try (Stream<Path> old = Files.walk(target)) {
                for (Path p : old.sorted(java.util.Comparator.reverseOrder()).toList()) {
                    Files.delete(p);
                }
            }
        }
        Files.createDirectories(target.resolve(".mvn")); // stops Maven from using the outer build's .mvn
        try (Stream<Path> files = Files.list(source)) {
            for (Path file : files.toList()) {
                Files.copy(file, target.resolve(file.getFileName()));
            }
        }
        return target;
    }
}
