package dev.autopartition.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.autopartition.AutoPartition;
import dev.autopartition.AutoPartitionSpec;
import dev.autopartition.TableName;
import dev.autopartition.testing.CatalogSnapshot;
import dev.autopartition.testing.PostgresExtension;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import picocli.CommandLine;

/**
 * Bad input on the command line, one case a row, run in process through the entry point the jar's main uses (one
 * JVM, one database): each is refused with exit code 1 (the engine refused) or 2 (the command line did not parse), one
 * message on stderr that names the option or object, the value and the fix, nothing on stdout, and the database is
 * the same afterwards (relations, constraints, triggers, the engine's catalog). Most cases name a catalog schema that
 * was never installed ({@code --catalog-schema fresh_catalog}): a command that installed it before refusing would show
 * as a difference.
 */
class CliBadInputIT {
    @RegisterExtension
    static final PostgresExtension pg = new PostgresExtension();

    private static final String FRESH = "fresh_catalog";

    @BeforeAll
    static void setUp() {
        pg.execute(
                "CREATE TABLE events (id bigint NOT NULL, created_at timestamptz NOT NULL)"
                        + " PARTITION BY RANGE (created_at)",
                "CREATE TABLE orders (id bigint PRIMARY KEY, created_at timestamptz NOT NULL, shipped_at timestamptz)",
                "INSERT INTO orders VALUES (1, '2022-01-01', NULL)",
                "CREATE TABLE no_pk (created_at timestamptz NOT NULL)",
                "INSERT INTO no_pk VALUES ('2022-01-01')",
                "CREATE VIEW recent_orders AS SELECT * FROM orders");
        AutoPartition.configure(pg.dataSource())
                .clock(Clock.fixed(Instant.parse("2022-01-10T00:00:00Z"), ZoneOffset.UTC))
                .build()
                .autoPartition(AutoPartitionSpec.builder(TableName.of("events"), "created_at")
                        .increment("1 day")
                        .build());
    }

    /** What one in-process run printed and returned. */
    record Result(int exitCode, String out, String err) {
        @Override
        public String toString() {
            return "exit code " + exitCode + "\n--- stdout\n" + out + "--- stderr\n" + err;
        }
    }

    /** The arguments (the connection options are added after them), the exit code, and what stderr must name. */
    record Case(String name, List<String> args, int exitCode, List<String> mentions) {
        @Override
        public String toString() {
            return name;
        }
    }

    private static Case usage(String name, List<String> args, String... mentions) {
        return new Case(name, args, ExitCodes.USAGE, List.of(mentions));
    }

    private static Case refused(String name, List<String> args, String... mentions) {
        return new Case(name, args, ExitCodes.FAILED, List.of(mentions));
    }

    /** {@code migrate <command>} of {@code orders} by {@code created_at}, daily, on the fresh catalog, plus more. */
    private static List<String> migrate(String command, String... more) {
        List<String> args = new ArrayList<>(List.of(
                "migrate",
                command,
                "--catalog-schema",
                FRESH,
                "--table",
                "orders",
                "--column",
                "created_at",
                "--increment",
                "1 day",
                "--progress",
                "none"));
        if (command.equals("plan")) {
            args.subList(args.size() - 2, args.size()).clear(); // plan shows no progress
        }
        args.addAll(List.of(more));
        return args;
    }

    private static List<String> args(String... args) {
        return List.of(args);
    }

    static Stream<Case> cases() {
        return Stream.of(
                usage(
                        "lock timeout that is no duration, after the command",
                        args("status", "--catalog-schema", FRESH, "--lock-timeout", "2 fortnights"),
                        "'--lock-timeout'",
                        "'2 fortnights'",
                        "1h30m"),
                usage(
                        "lock timeout that is no duration, before the command",
                        args("--lock-timeout", "soon", "status", "--catalog-schema", FRESH),
                        "'--lock-timeout'",
                        "'soon'",
                        "1h30m"),
                refused(
                        "lock timeout of zero (a bare number is milliseconds)",
                        args("--lock-timeout", "0", "status", "--catalog-schema", FRESH),
                        "lockTimeout must be positive, was PT0S",
                        "(option --lock-timeout)"),
                refused(
                        "a lock timeout on both sides: the one after the command wins",
                        args("--lock-timeout", "2s", "plan", "--catalog-schema", FRESH, "--lock-timeout", "0ms"),
                        "lockTimeout must be positive, was PT0S",
                        "(option --lock-timeout)"),
                usage(
                        "maintenance interval that is no duration",
                        args("maintain", "--catalog-schema", FRESH, "--every", "5 fortnights"),
                        "'--every'",
                        "'5 fortnights'",
                        "1h30m"),
                usage(
                        "jitter that is no duration",
                        args("maintain", "--catalog-schema", FRESH, "--every", "10m", "--jitter", "often"),
                        "'--jitter'",
                        "'often'",
                        "1h30m"),
                usage(
                        "migration pause that is no duration",
                        migrate("start", "--pause", "a bit"),
                        "'--pause'",
                        "'a bit'",
                        "1h30m"),
                usage(
                        "standby lag budget that is no duration",
                        migrate("start", "--standby-lag-budget", "a second or so"),
                        "'--standby-lag-budget'",
                        "'a second or so'",
                        "1h30m"),
                usage(
                        "latency budget that is no number",
                        migrate("start", "--latency-budget", "half again"),
                        "'--latency-budget'",
                        "'half again'",
                        "1.5"),
                usage(
                        "cutover lock timeout with a unit that is none",
                        migrate("plan", "--cutover-lock-timeout", "300 msec"),
                        "'--cutover-lock-timeout'",
                        "'300 msec'",
                        "1h30m"),
                usage(
                        "an instant that is none, before the command",
                        args("--now", "yesterday", "plan", "--catalog-schema", FRESH),
                        "'--now'",
                        "'yesterday'",
                        "2022-01-31T12:00:00Z"),
                refused(
                        "increment that does not parse",
                        migrate("plan").stream()
                                .map(a -> a.equals("1 day") ? "1 fortnight" : a)
                                .toList(),
                        "'1 fortnight'",
                        "'1 day'",
                        "(option --increment)"),
                refused(
                        "integer increment on a timestamptz",
                        migrate("start").stream()
                                .map(a -> a.equals("1 day") ? "1000" : a)
                                .toList(),
                        "'1000'",
                        "\"created_at\"",
                        "(option --increment)"),
                refused(
                        "retention shorter than the increment",
                        migrate("plan", "--retention", "10 hours"),
                        "'10 hours'",
                        "1 day",
                        "(option --retention)"),
                refused(
                        "naming pattern coarser than the increment",
                        migrate("start", "--naming-pattern", "{table}_{yyyyMM}"),
                        "'{table}_{yyyyMM}'",
                        "coarser than the increment",
                        "(option --naming-pattern)"),
                refused(
                        "unknown time zone",
                        migrate("plan", "--time-zone", "Mars/Olympus"),
                        "'Mars/Olympus'",
                        "IANA",
                        "(option --time-zone)"),
                refused(
                        "minimum advance of zero",
                        migrate("start", "--min-advance", "0"),
                        "\"public\".\"orders\"",
                        "is 0",
                        "(option --min-advance)"),
                refused(
                        "batch size of zero",
                        migrate("start", "--batch-size", "0"),
                        "\"public\".\"orders\"",
                        "is 0",
                        "(option --batch-size)"),
                refused(
                        "latency budget below the idle latency",
                        migrate("start", "--latency-budget", "0.9"),
                        "\"public\".\"orders\"",
                        "is 0.9",
                        "(option --latency-budget)"),
                refused(
                        "standby lag budget shorter than a standby reports",
                        migrate("start", "--standby-lag-budget", "50ms"),
                        "\"public\".\"orders\"",
                        "PT0.05S",
                        "(option --standby-lag-budget)"),
                refused(
                        "migrate a table that does not exist",
                        migrate("start").stream()
                                .map(a -> a.equals("orders") ? "nope" : a)
                                .toList(),
                        "\"public\".\"nope\"",
                        "(option --table)"),
                refused(
                        "migrate a view",
                        migrate("plan").stream()
                                .map(a -> a.equals("orders") ? "recent_orders" : a)
                                .toList(),
                        "\"public\".\"recent_orders\" is a view",
                        "(option --table)"),
                refused(
                        "migrate a table without a primary key",
                        migrate("start").stream()
                                .map(a -> a.equals("orders") ? "no_pk" : a)
                                .toList(),
                        "\"public\".\"no_pk\"",
                        "primary key",
                        "(option --table)"),
                refused(
                        "migrate on a nullable key",
                        migrate("start").stream()
                                .map(a -> a.equals("created_at") ? "shipped_at" : a)
                                .toList(),
                        "\"shipped_at\"",
                        "NOT NULL",
                        "(option --column)"),
                refused(
                        "migrate a table that is partitioned already",
                        migrate("start").stream()
                                .map(a -> a.equals("orders") ? "events" : a)
                                .toList(),
                        "\"public\".\"events\"",
                        "(option --table)"),
                refused(
                        "migrate the engine's own table",
                        args(
                                "migrate",
                                "start",
                                "--table",
                                "autopartition.managed_table",
                                "--column",
                                "id",
                                "--increment",
                                "1000",
                                "--progress",
                                "none"),
                        "managed_table",
                        "(option --table)"),
                refused(
                        "cutover of a migration that never started",
                        args("migrate", "cutover", "--catalog-schema", FRESH, "--table", "orders"),
                        "No migration of \"public\".\"orders\" is under way",
                        "migrateToPartitioned"),
                refused(
                        "maintain a table that is not managed",
                        args("maintain", "--catalog-schema", FRESH, "--table", "evnets"),
                        "\"public\".\"evnets\" is not managed",
                        "check the name",
                        "(option --table)"),
                refused(
                        "plan a table that is not managed, the catalog schema given before the command",
                        args("--catalog-schema", FRESH, "plan", "--table", "events"),
                        "\"public\".\"events\" is not managed",
                        "catalog schema " + FRESH,
                        "(option --table)"),
                refused(
                        "dry run of a schedule that is blank",
                        args("database-maintenance", "schedule", "--catalog-schema", FRESH, "--dry-run", " "),
                        "The pg_cron schedule ' '",
                        "'*/10 * * * *'",
                        "(argument <cron>)"),
                refused(
                        "dry run of an install with a lock timeout of zero",
                        args("database-maintenance", "install", "--dry-run", "--lock-timeout", "0"),
                        "lockTimeout must be positive, was PT0S",
                        "(option --lock-timeout)"));
    }

    private static Result run(List<String> args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cmd = AutoPartitionMain.commandLine();
        cmd.setOut(new PrintWriter(out, true));
        cmd.setErr(new PrintWriter(err, true));
        int code = cmd.execute(args.toArray(String[]::new));
        return new Result(code, out.toString(), err.toString());
    }

    private static List<String> withConnection(List<String> args) {
        List<String> all = new ArrayList<>(args);
        all.addAll(Cli.connection(pg.database()));
        return all;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void isRefusedBeforeAnythingChanges(Case bad) {
        CatalogSnapshot before = CatalogSnapshot.of(pg.dataSource());
        Result r = run(withConnection(bad.args()));
        assertThat(r.exitCode()).as("%s: %s", bad.name(), r).isEqualTo(bad.exitCode());
        assertThat(r.out()).as("nothing on stdout: %s", r).isEmpty();
        assertThat(r.err())
                .as("the message names the option or object, the value and the fix: %s", r)
                .startsWith("error: ")
                .contains(bad.mentions())
                .contains("Fix:")
                .doesNotContain("\tat ");
        assertThat(CatalogSnapshot.of(pg.dataSource()).diff(before))
                .as("what changed before the refusal of: %s", r)
                .isEmpty();
    }

    @Test
    void connectionOptionsBeforeTheCommandConnectLikeThoseAfterIt() {
        List<String> before = new ArrayList<>(Cli.connection(pg.database()));
        before.addAll(List.of("--now", "2022-01-10T12:00:00Z", "status", "--json"));
        Result first = run(before);
        assertThat(first.exitCode()).as(first.toString()).isZero();
        assertThat(first.out()).as(first.toString()).contains("\"table\": \"events\"", "\"healthy\": true");

        List<String> nested = new ArrayList<>(List.of("migrate"));
        nested.addAll(Cli.connection(pg.database()));
        nested.addAll(List.of("status", "--table", "orders"));
        Result second = run(nested);
        assertThat(second.exitCode())
                .as("after 'migrate' too; 3: connected, and no migration is recorded: %s", second)
                .isEqualTo(ExitCodes.PENDING);

        List<String> both = new ArrayList<>(
                List.of("--url", "jdbc:postgresql://127.0.0.1:1/nowhere", "--user", "nobody", "status", "--json"));
        both.addAll(Cli.connection(pg.database()));
        Result third = run(both);
        assertThat(third.exitCode())
                .as("the URL after the command wins over the one before it: %s", third)
                .isZero();
    }
}
