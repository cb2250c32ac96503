package dev.autopartition.internal.plan;

import static org.assertj.core.api.Assertions.assertThat;

import dev.autopartition.AutoPartitionSpec;
import dev.autopartition.TableName;
import dev.autopartition.internal.catalog.EngineCatalog;
import dev.autopartition.internal.catalog.ManagedTable;
import dev.autopartition.internal.catalog.OwnedPartition;
import dev.autopartition.internal.catalog.PartitionRow;
import dev.autopartition.internal.catalog.Placement;
import dev.autopartition.internal.spec.Grid;
import dev.autopartition.internal.sql.KeyType;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

/** Tiering and the autocreate position in the pure planner: states in, steps out, no database. */
class TieringPlannerTest {
    private static final TableName T = TableName.of("t");

    private static ManagedTable rule(AutoPartitionSpec.Builder builder, KeyType type) {
        AutoPartitionSpec spec = builder.build();
        return new ManagedTable(1, 42, spec, type, Grid.defaultOrigin(type, spec.increment(), spec.timeZone()));
    }

    private static long at(String instant) {
        return KeyType.TIMESTAMPTZ.fromInstant(Instant.parse(instant), ZoneOffset.UTC);
    }

    /** Daily partitions of January 2022, numbered by day: t_1 .. t_31. */
    private static List<PartitionRow> january(ManagedTable rule) {
        Grid grid = rule.grid();
        long first = grid.slotOf(at("2022-01-01T00:00:00Z"));
        List<PartitionRow> rows = new ArrayList<>();
        for (int day = 1; day <= 31; day++) {
            long slot = first + day - 1;
            rows.add(new PartitionRow(
                    42,
                    100 + day,
                    TableName.of("t_" + day),
                    false,
                    true,
                    grid.lower(slot),
                    grid.upper(slot),
                    false,
                    "FOR VALUES ..."));
        }
        return rows;
    }

    private static TableState state(
            ManagedTable rule,
            List<PartitionRow> rows,
            long now,
            Map<TableName, Placement> placements,
            @Nullable Long creationPosition) {
        Map<TableName, OwnedPartition> owned = new HashMap<>();
        for (PartitionRow p : rows) {
            owned.put(
                    p.name(),
                    new OwnedPartition(1, p.name(), p.lower(), p.upper(), false, "attached", "created", null));
        }
        return new TableState(
                rule, rows, owned, now, null, true, n -> false, t -> false, List.of(), placements, creationPosition);
    }

    private static Map<TableName, Placement> everywhere(List<PartitionRow> rows, String tablespace) {
        Map<TableName, Placement> placements = new HashMap<>();
        rows.forEach(p -> placements.put(
                p.name(), new Placement(tablespace, Map.of(p.name().name() + "_pkey", tablespace))));
        return placements;
    }

    private static List<String> moves(List<Step> steps) {
        return steps.stream()
                .filter(s -> s instanceof MovePartition)
                .map(s -> ((MovePartition) s).partition().name())
                .toList();
    }

    @Test
    void partitionsPastTierAfterMoveOldestFirstAndRetentionRemovesTheOlderOnesInstead() {
        ManagedTable rule = rule(
                AutoPartitionSpec.builder(T, "ts")
                        .increment("1 day")
                        .minimumAdvancePartitions(1)
                        .maximumAdvancePartitions(1)
                        .tierAfter("10 days")
                        .tierTablespace("cold")
                        .retention("20 days"),
                KeyType.TIMESTAMPTZ);
        List<PartitionRow> rows = january(rule);
        // now: Jan 30 12:00; tier cut-off Jan 20 12:00 (upper bounds up to Jan 20 00:00, i.e. t_1 .. t_19);
        // retention cut-off Jan 10 12:00 removes t_1 .. t_9
        List<Step> steps =
                Planner.plan(state(rule, rows, at("2022-01-30T12:00:00Z"), everywhere(rows, "pg_default"), null));
        assertThat(moves(steps))
                .as("t_10 .. t_19 move, oldest first; t_1 .. t_9 are removed by retention, not moved")
                .containsExactly("t_10", "t_11", "t_12", "t_13", "t_14", "t_15", "t_16", "t_17", "t_18", "t_19");
        assertThat(steps.get(steps.size() - 1))
                .as("moves come after creations and removals")
                .isInstanceOf(MovePartition.class);
        MovePartition first = (MovePartition) steps.stream()
                .filter(s -> s instanceof MovePartition)
                .findFirst()
                .orElseThrow();
        assertThat(first.moveTable()).isTrue();
        assertThat(first.indexes()).containsExactly(TableName.of("public", "t_10_pkey"));
        assertThat(first.describe())
                .isEqualTo("move partition \"public\".\"t_10\" and 1 index(es) of \"public\".\"t\" to tablespace cold"
                        + " ([2022-01-10 00:00:00+00:00, 2022-01-11 00:00:00+00:00), past tierAfter)");
    }

    @Test
    void whatIsAlreadyInTheTablespaceIsLeftAloneAndHalfMovedPartitionsFinish() {
        ManagedTable rule = rule(
                AutoPartitionSpec.builder(T, "ts")
                        .increment("1 day")
                        .tierAfter("10 days")
                        .tierTablespace("cold"),
                KeyType.TIMESTAMPTZ);
        List<PartitionRow> rows = january(rule);
        Map<TableName, Placement> placements = everywhere(rows, "cold");
        placements.put(TableName.of("t_5"), new Placement("cold", Map.of("t_5_pkey", "pg_default")));
        placements.remove(TableName.of("t_6")); // not read: never moved blindly
        List<Step> steps = Planner.plan(state(rule, rows, at("2022-01-25T12:00:00Z"), placements, null));
        assertThat(steps)
                .as("only the index left behind by an interrupted move")
                .hasSize(1);
        MovePartition move = (MovePartition) steps.get(0);
        assertThat(move.partition()).isEqualTo(TableName.of("t_5"));
        assertThat(move.moveTable()).isFalse();
        assertThat(move.indexes()).containsExactly(TableName.of("public", "t_5_pkey"));
    }

    @Test
    void theRendererMovesTheTableAndEachIndexInTransactionsOfTheirOwn() {
        MovePartition move = new MovePartition(
                T,
                TableName.of("public", "t_5"),
                "[...)",
                "Cold \"Store\"",
                true,
                List.of(TableName.of("public", "t_5_pkey"), TableName.of("public", "Odd Index")));
        List<Unit> units =
                new Renderer("ts", KeyType.TIMESTAMPTZ, 7L, new EngineCatalog("autopartition"), 1000).render(move);
        assertThat(units).hasSize(3).allMatch(Unit::transactional);
        assertThat(units.get(0).statements().get(0).sql())
                .isEqualTo("ALTER TABLE \"public\".\"t_5\" SET TABLESPACE \"Cold \"\"Store\"\"\"");
        assertThat(units.get(0).statements().get(0).lock()).contains("only").contains("the parent is not locked");
        assertThat(units.get(2).statements().get(0).sql())
                .isEqualTo("ALTER INDEX \"public\".\"Odd Index\" SET TABLESPACE \"Cold \"\"Store\"\"\"");
        assertThat(units.get(2).statements())
                .as("the catalog records the move with the last relation")
                .extracting(Statement::kind)
                .containsExactly(Statement.Kind.DDL, Statement.Kind.BOOKKEEPING);
    }

    @Test
    void integerKeysTierByKeyValuesBehindTheLargestKey() {
        ManagedTable rule = rule(
                AutoPartitionSpec.builder(T, "id")
                        .increment("100")
                        .tierAfter("250")
                        .tierTablespace("cold"),
                KeyType.BIGINT);
        List<PartitionRow> rows = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            rows.add(new PartitionRow(
                    42, 200 + i, TableName.of("t_" + i), false, true, i * 100L, i * 100L + 100, false, "..."));
        }
        Map<TableName, OwnedPartition> owned = new HashMap<>();
        rows.forEach(p -> owned.put(
                p.name(), new OwnedPartition(1, p.name(), p.lower(), p.upper(), false, "attached", "created", null)));
        TableState state = new TableState(
                rule,
                rows,
                owned,
                0,
                750L,
                true,
                n -> false,
                t -> false,
                List.of(),
                everywhere(rows, "pg_default"),
                null);
        assertThat(moves(Planner.plan(state)))
                .as("max key 750, tierAfter 250: upper bounds up to 500")
                .containsExactly("t_0", "t_1", "t_2", "t_3", "t_4");
    }

    @Test
    void theAutocreatePositionDecidesWhereAdvancePartitionsAreCountedFrom() {
        ManagedTable rule = rule(
                AutoPartitionSpec.builder(T, "ts")
                        .increment("1 day")
                        .minimumAdvancePartitions(1)
                        .maximumAdvancePartitions(2)
                        .autocreateExpression("now() + interval '10 days'"),
                KeyType.TIMESTAMPTZ);
        List<PartitionRow> rows = january(rule);
        long now = at("2022-01-25T12:00:00Z");
        assertThat(Planner.plan(state(rule, rows, now, Map.of(), null)))
                .as("counted from the clock: 6 days ahead, nothing to do")
                .isEmpty();
        List<Step> steps = Planner.plan(state(rule, rows, now, Map.of(), at("2022-01-31T06:00:00Z")));
        assertThat(steps)
                .as("counted from Jan 31 06:00: Feb 1 and Feb 2 are created")
                .extracting(s -> ((CreatePartition) s).range())
                .containsExactly(
                        "[2022-02-01 00:00:00+00:00, 2022-02-02 00:00:00+00:00)",
                        "[2022-02-02 00:00:00+00:00, 2022-02-03 00:00:00+00:00)");
    }
}
