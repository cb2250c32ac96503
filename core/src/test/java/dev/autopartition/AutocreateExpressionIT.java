package dev.autopartition;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.autopartition.testing.PostgresExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The autocreate expression decides where advance partitions are counted from. It is checked when declared, runs
 * read-only under a statement_timeout, shows in plans, and a failing one stops only its own table.
 */
class AutocreateExpressionIT {
    @RegisterExtension
    static final PostgresExtension pg = new PostgresExtension();

    private static AutoPartition engine(Fixtures.MovableClock clock) {
        return AutoPartition.configure(pg.dataSource()).clock(clock).build();
    }

    @Test
    void aTimeKeyCountsAheadFromTheExpressionAndThePlanShowsItsValue() {
        pg.execute(
                "CREATE TABLE bookings (starts_at timestamptz NOT NULL) PARTITION BY RANGE (starts_at)",
                "CREATE TABLE \"Schedule\" (opens date NOT NULL)",
                "INSERT INTO \"Schedule\" VALUES ('2022-01-20')");
        Fixtures.MovableClock clock = new Fixtures.MovableClock("2022-01-10T12:00:00Z");
        AutoPartition ap = engine(clock);
        AutoPartitionSpec spec = AutoPartitionSpec.builder(TableName.of("bookings"), "starts_at")
                .increment("1 day")
                .timeZone("Europe/Berlin")
                .minimumAdvancePartitions(1)
                .maximumAdvancePartitions(2)
                .autocreateExpression("(SELECT max(opens) FROM \"Schedule\")")
                .build();
        assertThat(ap.planAutoPartition(spec).toSql())
                .as("the dry run of the declaration shows the evaluated position")
                .contains("autocreate expression (SELECT max(opens) FROM \"Schedule\") = 2022-01-20 00:00:00+01:00"
                        + " now; advance partitions are counted from there");
        ap.autoPartition(spec);
        assertThat(Fixtures.partitionNames(pg, "bookings"))
                .as("a date is midnight in the table's zone: the 20th and two days after it")
                .containsExactly("bookings_p20220120", "bookings_p20220121", "bookings_p20220122");

        pg.execute("UPDATE \"Schedule\" SET opens = '2022-01-22'");
        Plan plan = ap.plan(spec.table());
        assertThat(plan.notes())
                .contains("\"public\".\"bookings\": autocreate expression (SELECT max(opens) FROM \"Schedule\")"
                        + " = 2022-01-22 00:00:00+01:00; advance partitions are counted from there");
        assertThat(plan.steps())
                .as("fewer than 1 whole partition ahead of the 22nd: up to 2 ahead")
                .extracting(PlannedStep::action)
                .hasSize(2)
                .allMatch(a -> a.contains("bookings_p20220123") || a.contains("bookings_p20220124"));
        ap.maintain(spec.table());
        assertThat(Fixtures.partitionNames(pg, "bookings")).contains("bookings_p20220124");

        pg.execute("DELETE FROM \"Schedule\"");
        assertThat(ap.plan(spec.table()).notes())
                .as("NULL falls back to the clock")
                .anyMatch(n -> n.contains("is NULL; advance partitions are counted from the default position"));
    }

    @Test
    void anIntegerKeyCanRunAheadOfItsLargestKey() {
        pg.execute(
                "CREATE TABLE tickets (id bigint NOT NULL) PARTITION BY RANGE (id)",
                "CREATE SEQUENCE ticket_ids START 2500");
        AutoPartition ap = engine(new Fixtures.MovableClock("2022-01-10T12:00:00Z"));
        ap.autoPartition(AutoPartitionSpec.builder(TableName.of("tickets"), "id")
                .increment("1000")
                .minimumAdvancePartitions(1)
                .maximumAdvancePartitions(1)
                // the sequence's position, read without advancing it (nextval would be a write)
                .autocreateExpression("(SELECT last_value FROM ticket_ids)")
                .build());
        assertThat(Fixtures.partitions(pg, "tickets"))
                .as("the table is empty, yet partitions follow the sequence")
                .containsExactly(
                        "tickets_p2000: FOR VALUES FROM ('2000') TO ('3000')",
                        "tickets_p3000: FOR VALUES FROM ('3000') TO ('4000')");
    }

    @Test
    void expressionsThatCannotWorkAreRefusedWhenDeclaredNamingTheTableAndTheExpression() {
        pg.execute(
                "CREATE TABLE refused (ts timestamptz NOT NULL) PARTITION BY RANGE (ts)",
                "CREATE SEQUENCE refused_seq");
        AutoPartition ap = engine(new Fixtures.MovableClock("2022-01-10T12:00:00Z"));
        AutoPartitionSpec.Builder base =
                AutoPartitionSpec.builder(TableName.of("refused"), "ts").increment("1 day");
        assertThatThrownBy(() -> ap.autoPartition(
                        base.autocreateExpression("'tomorrow'::text").build()))
                .isInstanceOf(InvalidSpecException.class)
                .hasMessageContaining("The autocreate expression of \"public\".\"refused\" ('tomorrow'::text)"
                        + " returns text, which does not fit the timestamp with time zone key \"ts\"")
                .hasMessageContaining("Fix: return timestamp with time zone or timestamp without time zone or date");
        assertThatThrownBy(() ->
                        ap.autoPartition(base.autocreateExpression("now() +").build()))
                .isInstanceOf(InvalidSpecException.class)
                .hasMessageContaining("(now() +) failed: [42601]")
                .hasMessageContaining("syntax error");
        assertThatThrownBy(() ->
                        ap.autoPartition(base.autocreateExpression("now() + nextval('refused_seq') * interval '1 day'")
                                .build()))
                .isInstanceOf(InvalidSpecException.class)
                .hasMessageContaining("tried to change data, but it runs read-only");
        assertThat(Fixtures.number(pg, "SELECT last_value FROM refused_seq"))
                .as("nothing advanced the sequence")
                .isEqualTo(1);
        assertThat(Fixtures.partitionNames(pg, "refused")).as("nothing changed").isEmpty();
        assertThat(Fixtures.strings(pg, "SELECT table_name FROM autopartition.managed_table"))
                .doesNotContain("refused");
    }

    @Test
    void aSlowExpressionIsCancelledAfterTheStatementTimeout() {
        pg.execute("CREATE TABLE slow (ts timestamptz NOT NULL) PARTITION BY RANGE (ts)");
        AutoPartition ap = engine(new Fixtures.MovableClock("2022-01-10T12:00:00Z"));
        long start = System.nanoTime();
        assertThatThrownBy(() -> ap.autoPartition(AutoPartitionSpec.builder(TableName.of("slow"), "ts")
                        .increment("1 day")
                        .autocreateExpression("(SELECT now() FROM pg_sleep(60))")
                        .build()))
                .isInstanceOf(InvalidSpecException.class)
                .hasMessageContaining("did not finish within 5 s");
        assertThat((System.nanoTime() - start) / 1_000_000_000L).isLessThan(30);
    }

    @Test
    void aFailingExpressionAtMaintenanceStopsOnlyItsOwnTable() {
        pg.execute(
                "CREATE TABLE fragile (ts timestamptz NOT NULL) PARTITION BY RANGE (ts)",
                "CREATE TABLE sturdy (ts timestamptz NOT NULL) PARTITION BY RANGE (ts)",
                "CREATE TABLE fragile_source (at timestamptz NOT NULL)",
                "INSERT INTO fragile_source VALUES ('2022-01-10 00:00+00')");
        Fixtures.MovableClock clock = new Fixtures.MovableClock("2022-01-10T12:00:00Z");
        AutoPartition ap = engine(clock);
        ap.autoPartition(AutoPartitionSpec.builder(TableName.of("fragile"), "ts")
                .increment("1 day")
                .minimumAdvancePartitions(1)
                .maximumAdvancePartitions(1)
                .autocreateExpression("(SELECT max(at) FROM fragile_source)")
                .build());
        ap.autoPartition(AutoPartitionSpec.builder(TableName.of("sturdy"), "ts")
                .increment("1 day")
                .minimumAdvancePartitions(1)
                .maximumAdvancePartitions(1)
                .build());
        pg.execute("DROP TABLE fragile_source");
        clock.set("2022-01-14T12:00:00Z");
        MaintenanceReport report = ap.maintain();
        TableReport fragile = report.tables().stream()
                .filter(t -> t.table().equals(TableName.of("fragile")))
                .findFirst()
                .orElseThrow();
        assertThat(fragile.errors())
                .singleElement()
                .asString()
                .contains("The autocreate expression of \"public\".\"fragile\" ((SELECT max(at) FROM fragile_source))")
                .contains("fragile_source\" does not exist");
        TableReport sturdy = report.tables().stream()
                .filter(t -> t.table().equals(TableName.of("sturdy")))
                .findFirst()
                .orElseThrow();
        assertThat(sturdy.created()).as("the other table is maintained").contains("sturdy_p20220114");
        assertThat(Fixtures.string(
                        pg,
                        "SELECT errors FROM autopartition.maintenance_run WHERE table_name = 'fragile'"
                                + " ORDER BY id DESC LIMIT 1"))
                .contains("fragile_source");
        assertThat(ap.plan().notes())
                .anyMatch(n -> n.startsWith("\"public\".\"fragile\" is left out: The autocreate expression"));
        TableStatus status = ap.status().stream()
                .filter(t -> t.table().equals(TableName.of("fragile")))
                .findFirst()
                .orElseThrow();
        assertThat(status.partitions())
                .as("status still shows the table's partitions")
                .isGreaterThan(0);
        assertThat(status.lastChange()).as("and the failure of its last run").contains("fragile_source");
    }
}
