package dev.autopartition.maven;

import static org.assertj.core.api.Assertions.assertThat;

import dev.autopartition.AutoPartition;
import dev.autopartition.AutoPartitionSpec;
import dev.autopartition.Durations;
import dev.autopartition.TableName;
import dev.autopartition.testing.CatalogSnapshot;
import dev.autopartition.testing.PostgresExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Bad settings of the goals, one case a row, each in a real Maven (see {@link MavenGoalsIT}) without a project, from
 * user properties: the build fails with a {@code MojoFailureException} whose message names the setting or the table,
 * the value and the fix, and the database is the same afterwards (relations, constraints, triggers, the engine's
 * catalog). The cases that name the catalog schema {@code fresh_catalog} show that nothing installs it first.
 */
class MavenBadInputIT {
    @RegisterExtension
    static final PostgresExtension pg = new PostgresExtension();

    @BeforeAll
    static void declareADailyTable() {
        pg.execute("CREATE TABLE events (id bigint NOT NULL, created_at timestamptz NOT NULL)"
                + " PARTITION BY RANGE (created_at)");
        AutoPartition.configure(pg.dataSource())
                .clock(Clock.fixed(Instant.parse("2022-01-10T00:00:00Z"), ZoneOffset.UTC))
                .build()
                .autoPartition(AutoPartitionSpec.builder(TableName.of("events"), "created_at")
                        .increment("1 day")
                        .build());
    }

    /** A goal, its user properties ({@code -D}), and what the failure must name. */
    record Case(String name, String goal, List<String> properties, List<String> mentions) {
        @Override
        public String toString() {
            return name;
        }
    }

    private static Case refused(String name, String goal, List<String> properties, String... mentions) {
        return new Case(name, goal, properties, List.of(mentions));
    }

    static Stream<Case> cases() {
        return Stream.of(
                refused(
                        "lock timeout that is no duration",
                        "status",
                        List.of("-Dautopartition.lockTimeout=2 fortnights"),
                        "<lockTimeout> '2 fortnights' is not a duration. Fix: write " + Durations.GRAMMAR),
                refused(
                        "lock timeout of zero milliseconds",
                        "maintain",
                        List.of("-Dautopartition.lockTimeout=0", "-Dautopartition.catalogSchema=fresh_catalog"),
                        "<lockTimeout> lockTimeout must be positive, was PT0S.",
                        "Fix:"),
                refused(
                        "plan of a table that is not managed",
                        "plan",
                        List.of("-Dautopartition.table=evnets"),
                        "\"public\".\"evnets\" is not managed by autopartition",
                        "Fix: check <table>"),
                refused(
                        "maintain of a table that is not managed in a catalog never installed",
                        "maintain",
                        List.of("-Dautopartition.table=events", "-Dautopartition.catalogSchema=fresh_catalog"),
                        "\"public\".\"events\" is not managed by autopartition: catalog schema fresh_catalog",
                        "Fix: check <table>"),
                refused(
                        "an instant that is none",
                        "plan",
                        List.of("-Dautopartition.now=yesterday"),
                        "<now> 'yesterday' is not an instant. Fix: write it in ISO-8601 UTC"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void failsTheBuildBeforeAnythingChanges(Case bad) throws Exception {
        Path dir = Path.of("target", "it-work", "bad-input");
        MavenGoalsIT.delete(dir);
        Files.createDirectories(dir);
        List<String> args = new ArrayList<>(List.of(
                MavenGoalsIT.PLUGIN + ":" + bad.goal(),
                "-Dautopartition.url=" + pg.database().jdbcUrl(),
                "-Dautopartition.user=" + pg.database().user(),
                "-Dautopartition.password=" + pg.database().password()));
        args.addAll(bad.properties());
        CatalogSnapshot before = CatalogSnapshot.of(pg.dataSource());
        MavenGoalsIT.Build b = MavenGoalsIT.maven(dir, args.toArray(String[]::new));
        assertThat(b.exitCode()).as(b.log()).isEqualTo(1);
        assertThat(b.log())
                .as("the failure names the setting or table, the value and the fix")
                .contains(bad.mentions())
                .contains("MAVEN/MojoFailureException");
        assertThat(CatalogSnapshot.of(pg.dataSource()).diff(before))
                .as("what changed before the refusal: %s", b.log())
                .isEmpty();
    }
}
