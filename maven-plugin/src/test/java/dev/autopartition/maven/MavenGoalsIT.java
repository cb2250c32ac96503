package dev.autopartition.maven;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import dev.autopartition.AutoPartition;
import dev.autopartition.AutoPartitionSpec;
import dev.autopartition.TableName;
import dev.autopartition.testing.PostgresExtension;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The goals run in a real, separate Maven, offline: the plugin comes from a private repository that
 * maven-invoker-plugin:install filled (target/it-repo), everything else from the build's local repository, used as a
 * read-only tail. The table is declared on 2022-01-10 (daily, 2 to 5 ahead); the goals run as of 2022-01-14.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class MavenGoalsIT {
    @RegisterExtension
    static final PostgresExtension pg = new PostgresExtension();

    static final String PLUGIN = "dev.autopartition:autopartition-maven-plugin:"
            + System.getProperty("it.project.version", "0.1.0-SNAPSHOT");

    record Build(int exitCode, String log) {}

    @BeforeAll
    static void declareADailyTable() throws IOException {
        delete(Path.of("target", "it-work"));
        pg.execute("CREATE TABLE events (id bigint NOT NULL, created_at timestamptz NOT NULL)"
                + " PARTITION BY RANGE (created_at)");
        AutoPartition.configure(pg.dataSource())
                .clock(Clock.fixed(Instant.parse("2022-01-10T00:00:00Z"), ZoneOffset.UTC))
                .build()
                .autoPartition(AutoPartitionSpec.builder(TableName.of("events"), "created_at")
                        .increment("1 day")
                        .build());
    }

    /** Runs Maven in a directory, offline, with this build's plugin; skipped (assumption) outside failsafe. */
    static Build maven(Path directory, String... args) throws Exception {
        String mavenHome = System.getProperty("it.maven.home");
        String repository = System.getProperty("it.repository");
        String tail = System.getProperty("it.local.repository");
        assumeThat(mavenHome != null && repository != null && tail != null)
                .as("run by failsafe, which passes it.maven.home, it.repository and it.local.repository")
                .isTrue();
        assumeThat(System.getProperty("it.maven.version", "3.9.0"))
                .as("maven.repo.local.tail, which lets the inner build read the outer build's repository, needs"
                        + " Maven 3.9 or newer")
                .doesNotStartWith("3.8.")
                .doesNotStartWith("3.6.");
        List<String> command = new ArrayList<>(List.of(
                Path.of(String.valueOf(mavenHome), "bin", "mvn").toString(),
                "-B",
                "-o",
                "-ntp",
                "-Dmaven.repo.local=" + Path.of(String.valueOf(repository)).toAbsolutePath(),
                "-Dmaven.repo.local.tail=" + tail,
                "-Dstyle.color=never"));
        command.addAll(List.of(args));
        Files.createDirectories(directory.resolve(".mvn")); // keeps Maven from using the outer build's .mvn
        Path log = directory.resolve("build-" + System.nanoTime() + ".log");
        Process process = new ProcessBuilder(command)
                .directory(directory.toFile())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        boolean finished = process.waitFor(180, TimeUnit.SECONDS);
        if (!finished) {
            process.destroyForcibly();
        }
        String output = Files.readString(log, StandardCharsets.UTF_8);
        assertThat(finished).as("Maven finished within 3 minutes:\n" + output).isTrue();
        return new Build(process.exitValue(), output);
    }

    private static Path project() throws IOException {
        Path target = Path.of("target", "it-work", "partitions");
        if (!Files.exists(target)) {
            Files.createDirectories(target);
            Files.copy(Path.of("src", "it", "partitions", "pom.xml"), target.resolve("pom.xml"));
        }
        return target;
    }

    private static Path emptyDirectory() throws IOException {
        Path dir = Path.of("target", "it-work", "no-project");
        delete(dir);
        Files.createDirectories(dir);
        return dir;
    }

    static void delete(Path dir) throws IOException {
        if (Files.exists(dir)) {
            try (Stream<Path> old = Files.walk(dir)) {
                for (Path p : old.sorted(Comparator.reverseOrder()).toList()) {
                    Files.delete(p);
                }
            }
        }
    }

    private static String[] db(String... goals) {
        List<String> args = new ArrayList<>(List.of(
                "-Dautopartition.version=" + System.getProperty("it.project.version", "0.1.0-SNAPSHOT"),
                "-Ddb.url=" + pg.database().jdbcUrl(),
                "-Ddb.user=" + pg.database().user(),
                "-Ddb.password=" + pg.database().password()));
        args.addAll(List.of(goals));
        return args.toArray(String[]::new);
    }

    @Test
    @Order(1)
    void planFailsTheBuildWhenWorkIsPendingAndAskedTo() throws Exception {
        Build b = maven(project(), db("autopartition:plan", "-Dautopartition.failOnPendingWork=true"));
        assertThat(b.exitCode()).as(b.log()).isEqualTo(1);
        assertThat(b.log())
                .contains("[INFO] -- create partition \"public\".\"events_p20220116\"")
                .contains("[INFO] ALTER TABLE \"public\".\"events\" ATTACH PARTITION \"public\".\"events_p20220119\"")
                .contains("Maintenance has 4 step(s) pending (the plan is above). Fix: run the maintain goal")
                .contains("MAVEN/MojoFailureException");
        assertThat(Files.readString(project().resolve("target/autopartition/plan.sql"), StandardCharsets.UTF_8))
                .as("<outputFile>")
                .startsWith("-- create partition \"public\".\"events_p20220116\"");
    }

    @Test
    @Order(2)
    void maintainThenPlanAndStatusPass() throws Exception {
        Build b = maven(
                project(),
                db(
                        "autopartition:maintain",
                        "autopartition:plan",
                        "autopartition:status",
                        "-Dautopartition.failOnPendingWork=true",
                        "-Dautopartition.failOnUnhealthy=true"));
        assertThat(b.exitCode()).as(b.log()).isZero();
        assertThat(b.log())
                .contains("[INFO] autopartition: maintenance in ")
                .contains(" ms: 4 partitions created, 0 removed")
                .contains("[INFO] autopartition: \"public\".\"events\": created events_p20220116, events_p20220117,"
                        + " events_p20220118, events_p20220119")
                .contains("[INFO] -- Nothing to do: every managed table has the partitions it needs.")
                .contains("[INFO] autopartition: \"public\".\"events\" by created_at (1 day): 10 partitions, 5 ahead"
                        + " (minimum 2), from 2022-01-10 00:00:00+00:00 to 2022-01-20 00:00:00+00:00, last"
                        + " maintained ");
    }

    @Test
    @Order(3)
    void goalsRunWithoutAProjectFromUserProperties() throws Exception {
        Build b = maven(
                emptyDirectory(),
                PLUGIN + ":status",
                "-Dautopartition.url=" + pg.database().jdbcUrl(),
                "-Dautopartition.user=" + pg.database().user(),
                "-Dautopartition.password=never-shown-42",
                "-Dautopartition.table=public.events",
                "-Dautopartition.now=2022-01-14T09:00:00Z");
        assertThat(b.exitCode()).as(b.log()).isZero();
        assertThat(b.log())
                .contains("[INFO] autopartition: \"public\".\"events\" by created_at (1 day): 10 partitions")
                .doesNotContain("never-shown-42");
    }

    @Test
    @Order(4)
    void helpSkipAndAnUnreachableDatabase() throws Exception {
        Path dir = emptyDirectory();
        Build skipped = maven(
                dir,
                PLUGIN + ":help",
                PLUGIN + ":maintain",
                "-Dautopartition.skip=true",
                "-Dautopartition.url=jdbc:postgresql://127.0.0.1:1/app");
        assertThat(skipped.exitCode()).as(skipped.log()).isZero();
        assertThat(skipped.log())
                .contains("autopartition:maintain\n  Runs maintenance now on every managed table")
                .contains("autopartition:plan\n", "autopartition:status\n")
                .contains("[INFO] autopartition: skipped (autopartition.skip)");

        Build unreachable = maven(dir, PLUGIN + ":maintain", "-Dautopartition.url=jdbc:postgresql://127.0.0.1:1/app");
        assertThat(unreachable.exitCode()).as(unreachable.log()).isEqualTo(1);
        assertThat(unreachable.log())
                .contains("Cannot connect to PostgreSQL: [08001] Connection to 127.0.0.1:1 refused")
                .contains("MAVEN/MojoExecutionException");
    }

    @Test
    @Order(5)
    void aTableThatIsNotManagedFailsTheBuild() throws Exception {
        Build b = maven(project(), db("autopartition:plan", "-Dautopartition.table=evnets"));
        assertThat(b.exitCode()).as(b.log()).isEqualTo(1);
        assertThat(b.log())
                .contains("\"public\".\"evnets\" is not managed by autopartition")
                .contains("MAVEN/MojoFailureException");
    }
}
