package dev.autopartition.flyway;

import static org.assertj.core.api.Assertions.assertThat;

import dev.autopartition.AutoPartition;
import dev.autopartition.testing.PostgresExtension;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A real {@code mvn compile flyway:migrate} of an application project ({@code src/it/maven-plugin}) whose Java
 * migrations extend autopartition's classes and whose flyway-maven-plugin runs the callback.
 *
 * <p>The project is copied to {@code target/it/maven-plugin} and built by the Maven that runs this build. It finds
 * autopartition in a repository made here (version {@code 0.0.0-it}: this build's jar and POMs) that is given to Maven
 * as a read-only tail of the usual local repository, so the jar under test is used and nothing is installed.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class FlywayMavenPluginIT {
    @RegisterExtension
    static final PostgresExtension pg = new PostgresExtension();

    private static final String IT_VERSION = "0.0.0-it";
    private static Path project = Path.of("");
    private static Path tail = Path.of("");

    private static String property(String name) {
        String value = System.getProperty(name);
        if (value == null || value.isBlank() || value.startsWith("${")) {
            throw new IllegalStateException("System property " + name + " is not set; run this test through Maven"
                    + " (./mvnw verify -pl flyway-ext), which sets it in the failsafe configuration.");
        }
        return value;
    }

    @BeforeAll
    static void prepare() throws IOException {
        Path work = Path.of(property("autopartition.test.jar")).resolveSibling("it");
        deleteTree(work);
        project = work.resolve("maven-plugin");
        copyTree(Path.of(property("autopartition.test.it.dir"), "maven-plugin"), project);
        Files.createDirectories(project.resolve(".mvn")); // the project's root: Maven looks no further up
        Path pom = project.resolve("pom.xml");
        Files.writeString(
                pom,
                Files.readString(pom)
                        .replace("@flyway.version@", property("flyway.test.plugin.version"))
                        .replace("@autopartition.version@", IT_VERSION)
                        .replace("@postgresql.version@", property("autopartition.test.postgresql.version"))
                        .replace("<!--@extra.plugin.dependencies@-->", extraPluginDependency()));

        tail = work.resolve("repository");
        Path root = Path.of(property("autopartition.test.root"));
        install(root.resolve("pom.xml"), null, "autopartition-parent", "pom");
        install(root.resolve("core/pom.xml"), codeSource(AutoPartition.class), "autopartition-core", "jar");
        install(
                root.resolve("flyway-ext/pom.xml"),
                Path.of(property("autopartition.test.jar")),
                "autopartition-flyway",
                "jar");
    }

    @Test
    @Order(1)
    void migratesWithJavaMigrationsAndTheCallback() {
        String output =
                maven("compile", "flyway:migrate", "-Dflyway.placeholders.autopartition.now=2022-01-10T15:00:00Z");

        assertThat(output)
                .as("Flyway's log")
                .contains("flyway:" + property("flyway.test.plugin.version") + ":migrate")
                .contains("Successfully applied 3 migrations");
        assertThat(Db.partitionNames(pg, "chat_messages"))
                .as("V2 declared the rule and created today's partition and 3 ahead; V3 created the 2021 archive")
                .containsExactly(
                        "chat_messages_2021",
                        "chat_messages_p20220110",
                        "chat_messages_p20220111",
                        "chat_messages_p20220112",
                        "chat_messages_p20220113");
        assertThat(output).as("the callback ran after migrate").contains("autopartition: maintenance of");
    }

    @Test
    @Order(2)
    void theCallbackKeepsPartitionsCurrentOnTheNextMigrateAndTheLockSettingIsAccepted() {
        String output = maven(
                "flyway:migrate",
                "flyway:validate",
                "-Dflyway.placeholders.autopartition.now=2022-01-12T15:00:00Z",
                "-Dflyway.postgresql.transactional.lock=false");

        assertThat(output).as("Flyway's log").contains("No migration necessary").contains("Successfully validated 3");
        assertThat(Db.partitionNames(pg, "chat_messages"))
                .as("two days later the callback topped up to 3 ahead")
                .endsWith("chat_messages_p20220114", "chat_messages_p20220115");
    }

    @Test
    @Order(3)
    void theCallbackCanBeSwitchedOffFromTheCommandLine() {
        String output = maven(
                "flyway:migrate",
                "-Dflyway.placeholders.autopartition.now=2022-01-20T15:00:00Z",
                "-Dautopartition.flyway.enabled=false");

        assertThat(output).as("Flyway's log").contains("No migration necessary");
        assertThat(Db.partitionNames(pg, "chat_messages"))
                .as("no maintenance")
                .last()
                .isEqualTo("chat_messages_p20220115");
    }

    /** The pinned plugin dependency from flyway.test.plugin.extra (see the pom), or nothing. */
    private static String extraPluginDependency() {
        String gav = System.getProperty("flyway.test.plugin.extra", "").trim();
        if (gav.isEmpty() || gav.startsWith("${")) {
            return "";
        }
        String[] parts = gav.split(":", -1);
        if (parts.length != 3) {
            throw new IllegalStateException("flyway.test.plugin.extra must be groupId:artifactId:version, was " + gav);
        }
        return "<dependency><groupId>" + parts[0] + "</groupId><artifactId>" + parts[1] + "</artifactId><version>"
                + parts[2] + "</version></dependency>";
    }

    /** Runs Maven on the project against the test database; fails with its output unless it succeeds. */
    private static String maven(String... arguments) {
        Path mvn = Path.of(property("autopartition.test.maven.home"), "bin", "mvn");
        List<String> command = new ArrayList<>(List.of(
                mvn.toString(),
                "-B",
                "-ntp",
                "-Dmaven.repo.local=" + property("autopartition.test.local.repository"),
                "-Dmaven.repo.local.tail=" + tail,
                "-Dflyway.url=" + pg.database().jdbcUrl(),
                "-Dflyway.user=" + pg.database().user(),
                "-Dflyway.password=" + pg.database().password()));
        command.addAll(List.of(arguments));
        try {
            Path log = Files.createTempFile(project.getParent(), "maven", ".log");
            ProcessBuilder builder = new ProcessBuilder(command)
                    .directory(project.toFile())
                    .redirectErrorStream(true)
                    .redirectOutput(log.toFile());
            Map<String, String> environment = builder.environment();
            environment.put("JAVA_HOME", System.getProperty("java.home"));
            environment.remove("MAVEN_OPTS");
            environment.remove("MAVEN_ARGS");
            Process process = builder.start();
            if (!process.waitFor(5, TimeUnit.MINUTES)) {
                process.destroyForcibly();
                throw new AssertionError("Maven did not finish in 5 minutes:\n" + Files.readString(log));
            }
            String output = Files.readString(log);
            assertThat(process.exitValue())
                    .as("exit code of " + String.join(" ", command) + "\n" + output)
                    .isZero();
            return output;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Puts an artifact into the tail repository as version {@value #IT_VERSION}. */
    private static void install(Path pom, @Nullable Path jar, String artifactId, String packaging) throws IOException {
        Path dir = tail.resolve(Path.of("dev", "autopartition", artifactId, IT_VERSION));
        Files.createDirectories(dir);
        Files.writeString(
                dir.resolve(artifactId + "-" + IT_VERSION + ".pom"),
                Files.readString(pom).replace(property("autopartition.test.version"), IT_VERSION),
                StandardCharsets.UTF_8);
        if (jar != null && packaging.equals("jar")) {
            Path target = dir.resolve(artifactId + "-" + IT_VERSION + ".jar");
            if (Files.isDirectory(jar)) {
                jar(jar, target);
            } else {
                Files.copy(jar, target);
            }
        }
    }

    /** Where a class was loaded from: a jar, or a classes directory when the build has not packaged it. */
    private static Path codeSource(Class<?> type) {
        try {
            return Paths.get(
                    type.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void jar(Path classes, Path target) throws IOException {
        try (OutputStream out = Files.newOutputStream(target);
                JarOutputStream jar = new JarOutputStream(out);
                Stream<Path> files = Files.walk(classes)) {
            for (Path file : (Iterable<Path>) files.filter(Files::isRegularFile)::iterator) {
                jar.putNextEntry(
                        new JarEntry(classes.relativize(file).toString().replace('\\', '/')));
                Files.copy(file, jar);
                jar.closeEntry();
            }
        }
    }

    private static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> files = Files.walk(from)) {
            for (Path file : (Iterable<Path>) files::iterator) {
                Path copy = to.resolve(from.relativize(file).toString());
                if (Files.isDirectory(file)) {
                    Files.createDirectories(copy);
                } else {
                    Files.copy(file, copy);
                }
            }
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path file : files.sorted((a, b) -> b.compareTo(a)).toList()) {
                Files.delete(file);
            }
        }
    }
}
