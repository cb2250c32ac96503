package dev.autopartition.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.autopartition.testing.PostgresExtension;
import java.sql.Connection;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Every migrate command through the real jar: plan, start, status, cutover, undo, finalize, abort, and errors. */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class MigrateCommandsIT {
    @RegisterExtension
    static final PostgresExtension pg = new PostgresExtension();

    private static final String NOW = "2022-01-04T12:00:00Z";

    @BeforeAll
    static void plainTablesWithRows() {
        for (String table : List.of("orders", "visits", "carts")) {
            pg.execute(
                    "CREATE TABLE " + table + " (id bigserial PRIMARY KEY, created_at timestamptz NOT NULL,"
                            + " amount int NOT NULL)",
                    "INSERT INTO " + table + " (created_at, amount) SELECT t, (random() * 100)::int FROM"
                            + " generate_series('2022-01-01 00:00+00'::timestamptz, '2022-01-03 23:59+00', '1 minute') t",
                    "ANALYZE " + table,
                    "CREATE TABLE " + table + "_before AS TABLE " + table);
        }
    }

    /** migrate &lt;command&gt; with the spec of the tests' tables. */
    private static Cli.Result migrate(String command, String table, String... more) throws Exception {
        List<String> args = new ArrayList<>(List.of(
                "migrate", command, "--table", table, "--column", "created_at", "--increment", "1 day", "--now", NOW));
        args.addAll(List.of(more));
        return Cli.run(pg.database(), args.toArray(String[]::new));
    }

    private static Cli.Result step(String command, String table) throws Exception {
        return Cli.run(pg.database(), "migrate", command, "--table", table, "--now", NOW);
    }

    @Test
    @Order(1)
    void planSaysWhatTheEmptyDaysUpToNowCostAndSkipsThemWhenAsked() throws Exception {
        String[] plan = {
            "migrate",
            "plan",
            "--table",
            "orders",
            "--column",
            "created_at",
            "--increment",
            "1 day",
            "--now",
            "2023-01-04T12:00:00Z"
        };
        Cli.Result filled = Cli.run(pg.database(), plan);
        assertThat(filled.exitCode()).as(filled.toString()).isZero();
        assertThat(filled.out())
                .contains("-- about 4320 rows in 374 partitions")
                .contains("365 of the 374 partitions lie between the newest key")
                .contains("--skip-empty-periods");
        List<String> skip = new ArrayList<>(List.of(plan));
        skip.add("--skip-empty-periods");
        Cli.Result skipped = Cli.run(pg.database(), skip.toArray(String[]::new));
        assertThat(skipped.exitCode()).as(skipped.toString()).isZero();
        assertThat(skipped.out())
                .contains("-- about 4320 rows in 10 partitions")
                .contains("10 partitions where rows are, around now and ahead; 364 empty periods");
        assertThat(Db.relkind(pg, "orders_autopartition_new")).isNull();
    }

    @Test
    @Order(1)
    void planPrintsEveryStepWithItsLockAndChangesNothing() throws Exception {
        Cli.Result r = migrate("plan", "orders");
        assertThat(r.exitCode()).as(r.toString()).isZero();
        assertThat(r.out())
                .startsWith("-- strategy COPY: ")
                .contains("-- about 4320 rows in 9 partitions")
                .contains("CREATE TABLE \"public\".\"orders_autopartition_new\"")
                .contains("--   lock: ACCESS EXCLUSIVE");
        assertThat(Db.relkind(pg, "orders_autopartition_new")).isNull();
    }

    @Test
    @Order(2)
    void statusAndResumeWithoutAMigration() throws Exception {
        Cli.Result status = step("status", "orders");
        assertThat(status.exitCode()).as(status.toString()).isEqualTo(3);
        assertThat(status.err()).isEqualTo("No migration of \"public\".\"orders\" is recorded.\n");
        Cli.Result resume = migrate("resume", "orders");
        assertThat(resume.exitCode()).as(resume.toString()).isEqualTo(1);
        assertThat(resume.err())
                .isEqualTo("error: No migration of \"public\".\"orders\" is in progress to resume. Fix: start one"
                        + " with 'autopartition migrate start'.\n");
    }

    @Test
    @Order(3)
    void startStopsBeforeTheCutoverWhenAsked() throws Exception {
        Cli.Result r = migrate(
                "start",
                "orders",
                "--no-cutover",
                "--batch-size",
                "1000",
                "--latency-budget",
                "2",
                "--latency-floor",
                "5ms",
                "--standby-lag-budget",
                "2s");
        assertThat(r.exitCode()).as(r.toString()).isZero();
        assertThat(r.out())
                .startsWith("""
                        table:              "public"."orders"
                        phase:              VERIFIED (copy)
                        rows copied:        4,320 of ~4,320
                        """)
                .contains("partitions:         9 of 9 attached\n")
                .endsWith("next:               cut over with 'autopartition migrate cutover --table public.orders',"
                        + " or stop with 'autopartition migrate abort --table public.orders'\n");
        assertThat(r.err()).startsWith("autopartition: starting the migration of \"public\".\"orders\" (copy)\n");
        assertThat(Db.relkind(pg, "orders")).as("not cut over yet").isEqualTo("r");

        Cli.Result json = Cli.run(pg.database(), "migrate", "status", "--table", "orders", "--json");
        assertThat(json.exitCode()).isZero();
        assertThat(json.out())
                .contains("\"phase\": \"VERIFIED\",", "\"rowsCopied\": 4320,", "\"partitionsAttached\": 9,");
    }

    @Test
    @Order(4)
    void cutoverUndoCutoverFinalize() throws Exception {
        Cli.Result cutover = step("cutover", "orders");
        assertThat(cutover.exitCode()).as(cutover.toString()).isZero();
        assertThat(cutover.out()).contains("phase:              CUT_OVER (copy)\n", "cutover lock held:  ");
        assertThat(Db.relkind(pg, "orders")).isEqualTo("p");

        Cli.Result undo = step("undo", "orders");
        assertThat(undo.exitCode()).as(undo.toString()).isZero();
        assertThat(undo.out()).contains("phase:              VERIFIED (copy)\n");
        assertThat(Db.relkind(pg, "orders")).as("the original is back").isEqualTo("r");

        assertThat(step("cutover", "orders").exitCode()).isZero();
        Cli.Result done = step("finalize", "orders");
        assertThat(done.exitCode()).as(done.toString()).isZero();
        assertThat(done.out())
                .contains("phase:              FINALIZED (copy)\n")
                .contains("next:               nothing: the migration is finished\n");
        assertThat(Db.relkind(pg, "orders")).isEqualTo("p");
        assertThat(Db.relkind(pg, "orders_retired"))
                .as("finalize dropped the original")
                .isNull();
        assertThat(Db.differences(pg, "orders", "orders_before")).isZero();

        Cli.Result status = Cli.run(pg.database(), "status", "--now", NOW);
        assertThat(status.out()).as("the migrated table is managed").contains("\"public\".\"orders\"  created_at");
    }

    @Test
    @Order(5)
    void abortLeavesTheOriginalAsItWas() throws Exception {
        assertThat(migrate("start", "visits", "--no-cutover").exitCode()).isZero();
        Cli.Result abort = step("abort", "visits");
        assertThat(abort.exitCode()).as(abort.toString()).isZero();
        assertThat(abort.out()).contains("phase:              ABORTED (copy)\n");
        assertThat(Db.relkind(pg, "visits")).isEqualTo("r");
        assertThat(Db.relkind(pg, "visits_autopartition_new")).isNull();
        assertThat(Db.differences(pg, "visits", "visits_before")).isZero();
    }

    @Test
    @Order(6)
    void aCutoverThatGetsNoLockExitsWith4AndCanBeRetried() throws Exception {
        try (Connection reader = pg.connection();
                Statement st = reader.createStatement()) {
            reader.setAutoCommit(false);
            st.executeQuery("SELECT count(*) FROM carts").close(); // holds ACCESS SHARE until commit
            Cli.Result r = migrate("start", "carts", "--cutover-attempts", "2", "--cutover-lock-timeout", "100ms");
            assertThat(r.exitCode()).as(r.toString()).isEqualTo(4);
            assertThat(r.err()).contains("error: ").contains("carts");
            reader.commit();
        }
        Cli.Result status = step("status", "carts");
        assertThat(status.out()).contains("phase:              VERIFIED (copy)\n");
        Cli.Result retry = step("cutover", "carts");
        assertThat(retry.exitCode()).as(retry.toString()).isZero();
        assertThat(Db.relkind(pg, "carts")).isEqualTo("p");
    }

    @Test
    @Order(7)
    void aSpecTheTableDoesNotFitIsRefusedBeforeAnythingChanges() throws Exception {
        Cli.Result r = Cli.run(
                pg.database(),
                "migrate",
                "start",
                "--table",
                "visits",
                "--column",
                "amount_at",
                "--increment",
                "1 day");
        assertThat(r.exitCode()).as(r.toString()).isEqualTo(1);
        assertThat(r.err()).contains("error: ").contains("amount_at");
        Cli.Result badIncrement = migrate("start", "visits", "--retention", "1 hour");
        assertThat(badIncrement.exitCode()).isEqualTo(1);
        assertThat(badIncrement.err())
                .startsWith("error: Retention '1 hour' of \"public\".\"visits\" is shorter than one increment");
        Cli.Result tierAfterRetention = migrate(
                "start",
                "visits",
                "--retention",
                "30 days",
                "--tier-after",
                "60 days",
                "--tier-tablespace",
                "pg_default");
        assertThat(tierAfterRetention.exitCode()).isEqualTo(1);
        assertThat(tierAfterRetention.err())
                .startsWith("error: Retention '30 days' of \"public\".\"visits\" does not exceed tierAfter '60 days'");
        Cli.Result noTablespace = migrate("start", "visits", "--tier-after", "60 days");
        assertThat(noTablespace.exitCode()).isEqualTo(1);
        assertThat(noTablespace.err()).contains("no tierTablespace is given");
        Cli.Result badExpression = migrate("start", "visits", "--autocreate-expression", "now(); DROP TABLE visits");
        assertThat(badExpression.exitCode()).isEqualTo(1);
        assertThat(badExpression.err()).contains("contains ';'");
        assertThat(Db.relkind(pg, "visits_autopartition_new")).isNull();
    }
}
