package dev.autopartition.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.autopartition.AutoPartition;
import dev.autopartition.AutoPartitionSpec;
import dev.autopartition.TableName;
import dev.autopartition.testing.PostgresExtension;
import dev.autopartition.testing.TestDatabase;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * plan, maintain, status and find-partition through the real jar. The table is declared on 2022-01-10 (daily, 2 to
 * 5 partitions ahead); the commands run with {@code --now} so their output is fixed.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class MaintenanceCommandsIT {
    @RegisterExtension
    static final PostgresExtension pg = new PostgresExtension();

    private static final String LATER = "2022-01-14T09:00:00Z";

    @BeforeAll
    static void declareADailyTable() {
        pg.execute("CREATE TABLE events (id bigint NOT NULL, created_at timestamptz NOT NULL, payload text)"
                + " PARTITION BY RANGE (created_at)");
        AutoPartition.configure(pg.dataSource())
                .clock(Clock.fixed(Instant.parse("2022-01-10T00:00:00Z"), ZoneOffset.UTC))
                .build()
                .autoPartition(AutoPartitionSpec.builder(TableName.of("events"), "created_at")
                        .increment("1 day")
                        .build());
    }

    private static Cli.Result cli(String... args) throws Exception {
        return Cli.run(pg.database(), args);
    }

    @Test
    @Order(1)
    void statusShowsTheManagedTable() throws Exception {
        Cli.Result r = cli("status", "--now", "2022-01-10T12:00:00Z");
        assertThat(r.exitCode()).as(r.toString()).isZero();
        assertThat(r.out())
                .as(r.toString())
                .startsWith("TABLE")
                .contains("\"public\".\"events\"  created_at  1 day      6           5/2    2022-01-10 00:00:00+00:00"
                        + "  2022-01-16 00:00:00+00:00  -             ");
        assertThat(r.out()).contains("  ok\n");
        assertThat(r.err()).as("nothing on stderr").isEmpty();
    }

    @Test
    @Order(2)
    void statusAsJson() throws Exception {
        Cli.Result r = cli("status", "--json", "--now", "2022-01-10T12:00:00Z");
        assertThat(r.exitCode()).as(r.toString()).isZero();
        assertThat(r.out())
                .startsWith("{\n  \"tables\": [\n    {\n      \"schema\": \"public\",\n      \"table\": \"events\",")
                .contains("\"partitions\": 6,", "\"advancePartitions\": 5,", "\"healthy\": true,")
                .contains("\"defaultRows\": null,");
    }

    @Test
    @Order(3)
    void planCheckSaysWorkIsPendingWithExitCode3() throws Exception {
        Cli.Result r = cli("plan", "--check", "--now", LATER);
        assertThat(r.exitCode()).as(r.toString()).isEqualTo(3);
        assertThat(r.out())
                .as("four days later only one partition lies ahead: create up to five ahead again")
                .contains("-- create partition \"public\".\"events_p20220116\"")
                .contains("ALTER TABLE \"public\".\"events\" ATTACH PARTITION \"public\".\"events_p20220119\" FOR"
                        + " VALUES FROM ('2022-01-19 00:00:00+00'::timestamptz) TO ('2022-01-20"
                        + " 00:00:00+00'::timestamptz);")
                .contains("--   lock: SHARE UPDATE EXCLUSIVE on \"public\".\"events\" (reads and writes go on)")
                .doesNotContain("events_p20220120");
        Cli.Result plain = cli("plan", "--table", "public.events", "--now", LATER);
        assertThat(plain.exitCode())
                .as("without --check a plan is just printed")
                .isZero();
        assertThat(plain.out()).isEqualTo(r.out());
        Cli.Result status = cli("status", "--check", "--now", LATER);
        assertThat(status.exitCode()).as(status.toString()).isEqualTo(3);
        assertThat(status.out()).contains("attention: too few partitions ahead (run maintain)");
    }

    @Test
    @Order(4)
    void maintainCreatesThePartitionsAndThenThereIsNothingToDo() throws Exception {
        Cli.Result r = cli("maintain", "--now", LATER);
        assertThat(r.exitCode()).as(r.toString()).isZero();
        assertThat(r.out())
                .matches("(?s)maintenance in \\d+ ms: 4 partitions created, 0 removed\n"
                        + "  \"public\".\"events\": created events_p20220116, events_p20220117, events_p20220118,"
                        + " events_p20220119\n");
        Cli.Result again = cli("maintain", "--table", "events", "--now", LATER);
        assertThat(again.out()).matches("maintenance in \\d+ ms: nothing to do\n");
        Cli.Result plan = cli("plan", "--check", "--now", LATER);
        assertThat(plan.exitCode()).as(plan.toString()).isZero();
        assertThat(plan.out()).isEqualTo("-- Nothing to do: every managed table has the partitions it needs.\n");
        assertThat(cli("status", "--check", "--now", LATER).exitCode()).isZero();
    }

    @Test
    @Order(5)
    void findPartitionPrintsNameAndBoundOrExits3() throws Exception {
        Cli.Result r = cli("find-partition", "events", "2022-01-16 12:00:00+00");
        assertThat(r.exitCode()).as(r.toString()).isZero();
        assertThat(r.out())
                .isEqualTo("\"public\".\"events_p20220116\"\tFOR VALUES FROM ('2022-01-16 00:00:00+00') TO"
                        + " ('2022-01-17 00:00:00+00')\n");
        Cli.Result none = cli("find-partition", "events", "2021-12-31");
        assertThat(none.exitCode()).as(none.toString()).isEqualTo(3);
        assertThat(none.out()).isEmpty();
        assertThat(none.err()).isEqualTo("No partition of \"public\".\"events\" holds 2021-12-31.\n");
    }

    @Test
    @Order(6)
    void aTableThatIsNotManagedIsAnError() throws Exception {
        Cli.Result r = cli("plan", "--table", "evnets");
        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.err())
                .startsWith("error: \"public\".\"evnets\" is not managed by autopartition: catalog schema"
                        + " autopartition has no rule for it.");
        assertThat(r.err().lines()).as("one line, no stack trace").hasSize(1);
    }

    @Test
    @Order(7)
    void connectsWithThePgEnvironmentVariables() throws Exception {
        TestDatabase db = pg.database();
        Matcher url =
                Pattern.compile("jdbc:postgresql://([^:/]+):(\\d+)/([^?]+).*").matcher(db.jdbcUrl());
        assertThat(url.matches()).as(db.jdbcUrl()).isTrue();
        Cli.Result r = Cli.run(
                Map.of(
                        "PGHOST", url.group(1),
                        "PGPORT", url.group(2),
                        "PGDATABASE", url.group(3),
                        "PGUSER", db.user(),
                        "PGPASSWORD", "pg-env-secret"),
                List.of("status", "--verbose"));
        assertThat(r.exitCode()).as(r.toString()).isZero();
        assertThat(r.out()).contains("\"public\".\"events\"");
        assertThat(r.err())
                .as("verbose says where it connects, without the password")
                .contains("autopartition: connecting to jdbc:postgresql://" + url.group(1) + ":" + url.group(2) + "/"
                        + url.group(3) + " as " + db.user())
                .doesNotContain("pg-env-secret");
    }

    @Test
    @Order(10)
    void connectionOptionsGoBeforeTheCommandOrAfterItAndAfterWins() throws Exception {
        TestDatabase db = pg.database();
        List<String> before = new ArrayList<>(Cli.connection(db));
        before.addAll(List.of("--verbose", "find-partition", "events", "2022-01-11 12:00:00+00"));
        Cli.Result first = Cli.run(Map.of(), before);
        assertThat(first.exitCode()).as(first.toString()).isZero();
        assertThat(first.out()).as(first.toString()).startsWith("\"public\".\"events_p20220111\"");
        assertThat(first.err())
                .as("--verbose before the command counts too")
                .contains("autopartition: connecting to jdbc:postgresql://");

        List<String> both = new ArrayList<>(List.of(
                "--url",
                "jdbc:postgresql://127.0.0.1:1/nowhere",
                "--user",
                "nobody",
                "status",
                "--json",
                "--now",
                LATER));
        both.addAll(Cli.connection(db));
        Cli.Result second = Cli.run(Map.of(), both);
        assertThat(second.exitCode())
                .as("the URL and user after the command win: %s", second)
                .isZero();
        assertThat(second.out()).contains("\"table\": \"events\"");
    }

    @Test
    @Order(8)
    void aFailedConnectionIsOneLineAndNeverShowsThePassword() throws Exception {
        List<String> args = new ArrayList<>(List.of(
                "status",
                "--url",
                "jdbc:postgresql://127.0.0.1:1/nowhere",
                "--user",
                "x",
                "--password",
                "s3cr3t-option"));
        Cli.Result r = Cli.run(Map.of(), args);
        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.out()).isEmpty();
        assertThat(r.err())
                .startsWith("error: Cannot connect to PostgreSQL: [08001] Connection to 127.0.0.1:1 refused.")
                .doesNotContain("s3cr3t-option")
                .doesNotContain("\tat ");
        args.add("--verbose");
        Cli.Result verbose = Cli.run(Map.of(), args);
        assertThat(verbose.exitCode()).isEqualTo(1);
        assertThat(verbose.err())
                .as("--verbose adds the stack trace")
                .contains("\tat org.postgresql.")
                .contains("error: Cannot connect to PostgreSQL")
                .doesNotContain("s3cr3t-option");
    }

    @Test
    @Order(9)
    void maintainEveryRunsOnAScheduleUntilInterrupted() throws Exception {
        List<String> args = new ArrayList<>(List.of("maintain", "--every", "1s", "--now", "2022-01-20T00:00:00Z"));
        args.addAll(Cli.connection(pg.database()));
        Cli.Running running = Cli.start(Map.of(), args);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (running.stdout().lines().count() < 3) {
            assertThat(running.process().isAlive()).as(running.stderr()).isTrue();
            assertThat(System.nanoTime()).as("three runs within a minute").isLessThan(deadline);
            Thread.sleep(100);
        }
        running.process().destroy(); // SIGTERM, as a service manager stops it
        Cli.Result r = running.await(60);
        assertThat(r.exitCode())
                .as("the exit code of a process ended by SIGTERM")
                .isEqualTo(143);
        List<String> lines = r.out().lines().toList();
        assertThat(lines.get(0))
                .matches(
                        "\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ maintenance in \\d+ ms: 6 partitions created, 0 removed");
        assertThat(lines.get(1)).contains("\"public\".\"events\": created events_p20220120, events_p20220121,");
        assertThat(lines.get(2)).endsWith(": nothing to do");
        assertThat(r.err())
                .startsWith("autopartition: maintaining every 1s until interrupted\n")
                .endsWith("autopartition: maintenance schedule stopped\n");
    }
}
