package dev.autopartition.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** The command line without a database: help, usage errors and their exit codes, in process. */
class CommandLineTest {
    record Result(int exitCode, String out, String err) {}

    private static Result run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cmd = AutoPartitionMain.commandLine();
        cmd.setOut(new PrintWriter(out, true));
        cmd.setErr(new PrintWriter(err, true));
        int code = cmd.execute(args);
        return new Result(code, out.toString(), err.toString());
    }

    @Test
    void helpListsTheCommandsAndTheExitCodes() {
        Result r = run("--help");
        assertThat(r.exitCode()).isZero();
        assertThat(r.out())
                .contains("plan", "maintain", "status", "find-partition", "migrate")
                .contains("Exit codes:")
                .contains("3   checked, and not done");
    }

    @Test
    void everyCommandHasHelp() {
        for (String[] command : new String[][] {
            {"plan"},
            {"maintain"},
            {"status"},
            {"find-partition"},
            {"migrate"},
            {"migrate", "plan"},
            {"migrate", "start"},
            {"migrate", "resume"},
            {"migrate", "status"},
            {"migrate", "cutover"},
            {"migrate", "undo"},
            {"migrate", "finalize"},
            {"migrate", "abort"}
        }) {
            String[] args = java.util.Arrays.copyOf(command, command.length + 1);
            args[command.length] = "--help";
            Result r = run(args);
            assertThat(r.exitCode()).as(String.join(" ", args)).isZero();
            assertThat(r.out())
                    .as(String.join(" ", args))
                    .contains("Usage: autopartition " + String.join(" ", command));
        }
    }

    @Test
    void aMissingCommandIsAUsageError() {
        Result r = run();
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err())
                .startsWith(
                        "error: Missing command: plan, maintain, status, find-partition, migrate or database-maintenance.")
                .contains("Try 'autopartition --help' for more information.");
        assertThat(run("migrate").exitCode()).isEqualTo(2);
    }

    @Test
    void anUnknownOptionIsAUsageErrorWithASuggestion() {
        Result r = run("plan", "--chek");
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err()).contains("error: Unknown option: '--chek'").contains("--check");
        assertThat(r.out()).isEmpty();
    }

    @Test
    void aBadValueIsAUsageErrorThatSaysTheFix() {
        Result r = run("maintain", "--every", "ten minutes");
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err())
                .contains("Invalid value for option '--every': 'ten minutes' is not a duration")
                .contains("Try 'autopartition maintain --help'");
        assertThat(run("migrate", "start", "--table", "t", "--column", "c", "--increment", "1 day", "--strategy", "x")
                        .err())
                .contains("Invalid value for option '--strategy'")
                .contains("COPY, ATTACH");
        assertThat(run("migrate", "start", "--table", "t").err())
                .contains("Missing required options: '--column=<column>', '--increment=<increment>'");
        assertThat(run("find-partition", "t").err()).contains("Missing required parameter: '<value>'");
    }

    @Test
    void badInputNamesTheOptionItWasGivenIn() {
        String url = "jdbc:postgresql://127.0.0.1:1/x"; // never reached: the spec is checked first
        Result increment =
                run("migrate", "plan", "--table", "t", "--column", "c", "--increment", "banana", "--url", url);
        assertThat(increment.exitCode()).as(increment.err()).isEqualTo(1);
        assertThat(increment.err().lines())
                .as("one line: the engine's message, then the option")
                .containsExactly("error: Increment 'banana' does not parse. Fix: write a number and one unit (hour,"
                        + " day, week, month, quarter, year), such as '1 day' or '3 months', or a whole number such as"
                        + " 100000 for an integer key. (option --increment)");
        Result minimum = run(
                "migrate",
                "start",
                "--table",
                "t",
                "--column",
                "c",
                "--increment",
                "1 day",
                "--min-advance",
                "0",
                "--url",
                url);
        assertThat(minimum.exitCode()).as(minimum.err()).isEqualTo(1);
        assertThat(minimum.err())
                .as("an option whose name is not the builder's word")
                .startsWith("error: minimumAdvancePartitions of \"public\".\"t\" is 0")
                .contains("(default 2). (option --min-advance)");
        assertThat(run("find-partition", "t", "x", "--url", "not-a-url").err())
                .as("an error that is not about one field names none")
                .doesNotContain("(option");
    }

    @Test
    void aScheduleMaintainsEveryTable() {
        Result r = run("maintain", "--every", "10m", "--table", "events");
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err()).contains("--table cannot be combined with --every");
    }

    @Test
    void theVersionComesFromTheBuild() {
        Result r = run("--version");
        assertThat(r.exitCode()).isZero();
        assertThat(r.out()).startsWith("autopartition ").doesNotContain("${project.version}");
    }
}
