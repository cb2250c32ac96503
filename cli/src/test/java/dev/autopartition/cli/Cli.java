package dev.autopartition.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import dev.autopartition.testing.TestDatabase;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/** Runs the executable jar in a new JVM, as a user would: {@code java -jar autopartition-cli-<version>.jar ...}. */
final class Cli {
    private static final AtomicInteger RUNS = new AtomicInteger();

    private Cli() {}

    /** What one run printed and returned. */
    record Result(int exitCode, String out, String err) {
        @Override
        public String toString() {
            return "exit code " + exitCode + "\n--- stdout\n" + out + "--- stderr\n" + err;
        }
    }

    /** A started run, for tests that interrupt or kill it. */
    record Running(Process process, Path out, Path err) {
        String stdout() throws IOException {
            return Files.readString(out, StandardCharsets.UTF_8);
        }

        String stderr() throws IOException {
            return Files.readString(err, StandardCharsets.UTF_8);
        }

        Result await(long seconds) throws Exception {
            boolean done = process.waitFor(seconds, TimeUnit.SECONDS);
            if (!done) {
                process.destroyForcibly();
                process.waitFor(10, TimeUnit.SECONDS);
            }
            Result result = new Result(process.exitValue(), stdout(), stderr());
            assertThat(done)
                    .as("the CLI finished within " + seconds + " s: " + result)
                    .isTrue();
            return result;
        }
    }

    static Path jar() {
        String jar = System.getProperty("autopartition.cli.jar");
        assumeThat(jar).as("autopartition.cli.jar is set by failsafe").isNotNull();
        Path path = Path.of(String.valueOf(jar));
        assertThat(path)
                .as("the shaded jar is built in package, before integration-test")
                .exists();
        return path;
    }

    /** The connection options for a test database: its URL (which carries the user). */
    static List<String> connection(TestDatabase db) {
        return List.of("--url", db.jdbcUrl(), "--user", db.user());
    }

    static Running start(Map<String, String> env, List<String> args) throws IOException {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xshare:auto",
                "-XX:TieredStopAtLevel=1",
                "-jar",
                jar().toString()));
        command.addAll(args);
        Path dir = jar().toAbsolutePath().resolveSibling("cli-runs");
        Files.createDirectories(dir);
        int n = RUNS.incrementAndGet();
        Path out = dir.resolve(n + ".out");
        Path err = dir.resolve(n + ".err");
        Files.writeString(dir.resolve(n + ".cmd"), String.join(" ", args) + "\n", StandardCharsets.UTF_8);
        ProcessBuilder builder =
                new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile());
        builder.environment().keySet().removeIf(k -> k.startsWith("PG"));
        builder.environment().putAll(env);
        Process process = builder.start();
        process.getOutputStream().close(); // no input: an interactive prompt would fail instead of waiting
        return new Running(process, out, err);
    }

    static Result run(Map<String, String> env, List<String> args) throws Exception {
        return start(env, args).await(180);
    }

    /** Runs a command against a test database. */
    static Result run(TestDatabase db, String... args) throws Exception {
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(connection(db));
        return run(Map.of(), all);
    }
}
