package dev.autopartition;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.autopartition.testing.PostgresExtension;
import java.util.List;
import java.util.function.Supplier;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Bad input fails with a message naming the object, the value and the fix, before anything changes. */
class BadInputIT {
    @RegisterExtension
    static final PostgresExtension pg = new PostgresExtension();

    private static AutoPartition ap;

    @BeforeAll
    static void setUp() {
        pg.execute(
                "CREATE TABLE t (ts timestamptz NOT NULL, maybe timestamptz, label text NOT NULL, n int NOT NULL)"
                        + " PARTITION BY RANGE (ts)",
                "CREATE TABLE by_list (k text NOT NULL) PARTITION BY LIST (k)",
                "CREATE TABLE by_two (a int NOT NULL, b int NOT NULL) PARTITION BY RANGE (a, b)",
                "CREATE TABLE full_table (ts timestamptz NOT NULL)",
                "INSERT INTO full_table VALUES (now())");
        ap = AutoPartition.configure(pg.dataSource()).build();
        ap.maintain(); // installs the catalog, so "unchanged" below compares like with like
    }

    private static List<String> state() {
        return Fixtures.strings(pg, """
                SELECT c.relname || ':' || c.relkind::text FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
                 WHERE n.nspname IN ('public') ORDER BY 1""");
    }

    private static void refused(Supplier<AutoPartitionSpec.Builder> spec, String... messageParts) {
        List<String> before = state();
        long rules = Fixtures.number(pg, "SELECT count(*) FROM autopartition.managed_table");
        var thrown =
                assertThatThrownBy(() -> ap.autoPartition(spec.get().build())).isInstanceOf(InvalidSpecException.class);
        for (String part : messageParts) {
            thrown.hasMessageContaining(part);
        }
        assertThat(state()).as("relations unchanged").isEqualTo(before);
        assertThat(Fixtures.number(pg, "SELECT count(*) FROM autopartition.managed_table"))
                .as("no rule saved")
                .isEqualTo(rules);
    }

    private static AutoPartitionSpec.Builder on(String table, String column) {
        return AutoPartitionSpec.builder(TableName.of(table), column).increment("1 day");
    }

    @Test
    void unknownTable() {
        refused(() -> on("nope", "ts"), "Table \"public\".\"nope\" does not exist", "Fix:");
    }

    @Test
    void unknownColumnListsTheColumnsThereAre() {
        refused(() -> on("t", "created"), "Column \"created\" does not exist in \"public\".\"t\"", "\"ts\", \"maybe\"");
    }

    @Test
    void nullableKeyWithoutDefaultPartition() {
        refused(() -> on("t", "maybe"), "allows NULL", "SET NOT NULL", "default partition");
    }

    @Test
    void incrementThatDoesNotParse() {
        refused(() -> on("t", "ts").increment("1 fortnight"), "Increment '1 fortnight' does not parse", "'1 day'");
    }

    @Test
    void incrementThatDoesNotFitTheKey() {
        refused(() -> on("t", "ts").increment("1000"), "Increment '1000' does not fit column \"ts\"", "interval");
        refused(() -> on("t", "label"), "type text", "timestamptz");
    }

    @Test
    void retentionShorterThanOneIncrement() {
        refused(
                () -> on("t", "ts").increment("1 month").retention("10 days"),
                "Retention '10 days'",
                "shorter than one increment (1 month)",
                "at least 1 month");
    }

    @Test
    void minimumAboveMaximum() {
        refused(
                () -> on("t", "ts").minimumAdvancePartitions(6).maximumAdvancePartitions(3),
                "minimumAdvancePartitions (6)",
                "above maximumAdvancePartitions (3)");
    }

    @Test
    void badInitialLowerBoundAndZoneAndSchema() {
        refused(() -> on("t", "ts").initialLowerBound("soon"), "Initial lower bound", "'soon'");
        refused(() -> on("t", "ts").timeZone("Mars/Olympus"), "Time zone 'Mars/Olympus'", "IANA");
        refused(
                () -> on("t", "ts")
                        .retention("30 days")
                        .retentionAction(RetentionAction.MOVE)
                        .retentionSchema("nowhere"),
                "Retention schema \"nowhere\"",
                "does not exist");
        refused(
                () -> on("t", "ts").retention("30 days").retentionAction(RetentionAction.MOVE),
                "no retention schema is given");
    }

    @Test
    void tablesPartitionedAnotherWayOrFullOfRows() {
        refused(() -> on("by_list", "k"), "type text");
        refused(
                () -> AutoPartitionSpec.builder(TableName.of("by_two"), "a").increment("10"),
                "partitioned by 2 columns");
        refused(() -> on("full_table", "ts"), "already holds rows", "migrateToPartitioned");
        refused(() -> on("t", "ts").namingPattern("{table}_static"), "no token for the partition's bound");
    }

    @Test
    void partitionedByAnotherColumn() {
        pg.execute("CREATE TABLE other_key (a timestamptz NOT NULL, b timestamptz NOT NULL) PARTITION BY RANGE (a)");
        refused(() -> on("other_key", "b"), "partitioned by column \"a\", not \"b\"");
    }
}
