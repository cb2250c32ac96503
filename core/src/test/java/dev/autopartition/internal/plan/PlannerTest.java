package dev.autopartition.internal.plan;

import static org.assertj.core.api.Assertions.assertThat;

import dev.autopartition.AutoPartitionSpec;
import dev.autopartition.RetentionAction;
import dev.autopartition.TableName;
import dev.autopartition.internal.catalog.ManagedTable;
import dev.autopartition.internal.catalog.OwnedPartition;
import dev.autopartition.internal.catalog.PartitionRow;
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

/** The planner is pure: these tests give it a state and read its steps, with no database. */
class PlannerTest {
    private static final TableName T = TableName.of("t");

    private static ManagedTable rule(AutoPartitionSpec.Builder builder, KeyType type) {
        AutoPartitionSpec spec = builder.build();
        return new ManagedTable(1, 42, spec, type, Grid.defaultOrigin(type, spec.increment(), spec.timeZone()));
    }

    private static long at(String instant) {
        return KeyType.TIMESTAMPTZ.fromInstant(Instant.parse(instant), ZoneOffset.UTC);
    }

    private static TableState state(ManagedTable rule, List<PartitionRow> partitions, long now, @Nullable Long max) {
        Map<TableName, OwnedPartition> owned = new HashMap<>();
        for (PartitionRow p : partitions) {
            owned.put(
                    p.name(),
                    new OwnedPartition(1, p.name(), p.lower(), p.upper(), p.isDefault(), "attached", "created", null));
        }
        return new TableState(rule, partitions, owned, now, max, true, n -> false, t -> false, List.of());
    }

    /** Range partitions for the slots [first, first + count) of the rule's grid. */
    private static List<PartitionRow> existing(ManagedTable rule, long firstValue, int count) {
        Grid grid = rule.grid();
        long slot = grid.slotOf(firstValue);
        List<PartitionRow> rows = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            rows.add(new PartitionRow(
                    42,
                    100 + i,
                    TableName.of("t_" + label(rule, grid.lower(slot + i))),
                    false,
                    true,
                    grid.lower(slot + i),
                    grid.upper(slot + i),
                    false,
                    "FOR VALUES ..."));
        }
        return rows;
    }

    private static String label(ManagedTable rule, long value) {
        String text = rule.keyType().display(value, ZoneOffset.UTC);
        return text.substring(0, Math.min(10, text.length()));
    }

    private static List<String> names(List<Step> steps) {
        return steps.stream()
                .map(s -> s instanceof CreatePartition c
                        ? "create " + c.partition().name()
                        : s instanceof RemovePartition r
                                ? "remove " + r.partition().name() + " " + r.detach()
                                : s.describe())
                .toList();
    }

    @Test
    void emptyTableGetsTheCurrentPartitionAndTheMaximumAhead() {
        ManagedTable rule = rule(
                AutoPartitionSpec.builder(T, "ts").increment("1 day").maximumAdvancePartitions(3), KeyType.TIMESTAMPTZ);
        List<Step> steps = Planner.plan(state(rule, List.of(), at("2022-01-10T15:00:00Z"), null));
        assertThat(names(steps))
                .containsExactly(
                        "create t_p20220110", "create t_p20220111", "create t_p20220112", "create t_p20220113");
    }

    @Test
    void hysteresisWaitsUntilFewerThanTheMinimumLieAheadThenFillsToTheMaximum() {
        ManagedTable rule = rule(
                AutoPartitionSpec.builder(T, "ts")
                        .increment("1 day")
                        .minimumAdvancePartitions(2)
                        .maximumAdvancePartitions(5),
                KeyType.TIMESTAMPTZ);
        List<PartitionRow> six = existing(rule, at("2022-01-10T00:00:00Z"), 6); // 10th .. 15th
        assertThat(Planner.plan(state(rule, six, at("2022-01-12T12:00:00Z"), null)))
                .as("3 ahead")
                .isEmpty();
        assertThat(Planner.plan(state(rule, six, at("2022-01-13T12:00:00Z"), null)))
                .as("2 ahead")
                .isEmpty();
        assertThat(names(Planner.plan(state(rule, six, at("2022-01-14T12:00:00Z"), null))))
                .as("1 ahead: up to 5 ahead of the 14th")
                .containsExactly(
                        "create t_p20220116", "create t_p20220117", "create t_p20220118", "create t_p20220119");
    }

    @Test
    void gapsSinceTheNewestPartitionAreFilledExceptWhatRetentionWouldDropAtOnce() {
        ManagedTable rule = rule(
                AutoPartitionSpec.builder(T, "ts")
                        .increment("1 day")
                        .minimumAdvancePartitions(1)
                        .maximumAdvancePartitions(1)
                        .retention("2 days"),
                KeyType.TIMESTAMPTZ);
        List<PartitionRow> old = existing(rule, at("2022-01-01T00:00:00Z"), 1);
        List<String> steps = names(Planner.plan(state(rule, old, at("2022-01-10T12:00:00Z"), null)));
        assertThat(steps)
                .as("cut-off is the 8th at noon: the 7th would be dropped at once, the 8th is kept")
                .containsExactly(
                        "create t_p20220108",
                        "create t_p20220109",
                        "create t_p20220110",
                        "create t_p20220111",
                        "remove t_2022-01-01 CONCURRENTLY");
    }

    @Test
    void retentionRemovesOwnedPartitionsPastTheCutoffButNeverTheNewest() {
        ManagedTable rule = rule(
                AutoPartitionSpec.builder(T, "ts")
                        .increment("1 day")
                        .maximumAdvancePartitions(2)
                        .retention("3 days")
                        .retentionAction(RetentionAction.DETACH),
                KeyType.TIMESTAMPTZ);
        List<PartitionRow> rows = existing(rule, at("2022-01-01T00:00:00Z"), 12); // 1st .. 12th
        List<String> steps = names(Planner.plan(state(rule, rows, at("2022-01-10T12:00:00Z"), null)));
        assertThat(steps)
                .as("upper bound at or before the 7th 12:00: the 1st to the 6th")
                .containsExactly(
                        "remove t_2022-01-01 CONCURRENTLY",
                        "remove t_2022-01-02 CONCURRENTLY",
                        "remove t_2022-01-03 CONCURRENTLY",
                        "remove t_2022-01-04 CONCURRENTLY",
                        "remove t_2022-01-05 CONCURRENTLY",
                        "remove t_2022-01-06 CONCURRENTLY");
        List<PartitionRow> onlyOld = existing(rule, at("2022-01-01T00:00:00Z"), 1);
        List<String> replaced = names(Planner.plan(state(rule, onlyOld, at("2022-01-10T12:00:00Z"), null)));
        assertThat(replaced)
                .as("an old partition goes only after newer ones are created, in the same run")
                .endsWith("create t_p20220112", "remove t_2022-01-01 CONCURRENTLY");
    }

    @Test
    void retentionLeavesPartitionsItDoesNotOwn() {
        ManagedTable rule =
                rule(AutoPartitionSpec.builder(T, "ts").increment("1 day").retention("1 day"), KeyType.TIMESTAMPTZ);
        List<PartitionRow> rows = existing(rule, at("2022-01-01T00:00:00Z"), 15);
        TableState unowned = new TableState(
                rule, rows, Map.of(), at("2022-01-10T12:00:00Z"), null, true, n -> false, t -> false, List.of());
        assertThat(Planner.plan(unowned)).noneMatch(s -> s instanceof RemovePartition);
    }

    @Test
    void aDefaultPartitionRulesOutConcurrentDetach() {
        ManagedTable rule = rule(
                AutoPartitionSpec.builder(T, "ts")
                        .increment("1 day")
                        .retention("1 day")
                        .defaultPartition(true),
                KeyType.TIMESTAMPTZ);
        List<PartitionRow> rows = new ArrayList<>(existing(rule, at("2022-01-01T00:00:00Z"), 15));
        rows.add(new PartitionRow(42, 99, TableName.of("t_default"), true, false, null, null, false, "DEFAULT"));
        assertThat(Planner.plan(state(rule, rows, at("2022-01-10T12:00:00Z"), null)))
                .filteredOn(s -> s instanceof RemovePartition)
                .isNotEmpty()
                .allMatch(s -> ((RemovePartition) s).detach() == RemovePartition.Detach.PLAIN);
    }

    @Test
    void integerKeysFollowTheLargestKey() {
        ManagedTable rule = rule(
                AutoPartitionSpec.builder(T, "id")
                        .increment("1000")
                        .minimumAdvancePartitions(1)
                        .maximumAdvancePartitions(2),
                KeyType.BIGINT);
        assertThat(names(Planner.plan(state(rule, List.of(), 0, null))))
                .as("empty: from the origin")
                .containsExactly("create t_p0", "create t_p1000", "create t_p2000");
        List<PartitionRow> three = existing(rule, 0, 3);
        assertThat(Planner.plan(state(rule, three, 0, 1500L)))
                .as("1 ahead of max key 1500")
                .isEmpty();
        assertThat(names(Planner.plan(state(rule, three, 0, 2001L))))
                .containsExactly("create t_p3000", "create t_p4000");
    }

    /** Each created partition as {@code name [lower, upper)}, its range as the planner describes it. */
    private static List<String> created(List<Step> steps) {
        return steps.stream()
                .filter(s -> s instanceof CreatePartition)
                .map(s -> ((CreatePartition) s).partition().name() + " " + ((CreatePartition) s).range())
                .toList();
    }

    @Test
    void aDayThatDoesNotExistLocallyGetsNoPartition() {
        ManagedTable rule = rule(
                AutoPartitionSpec.builder(T, "ts")
                        .increment("1 day")
                        .timeZone("Pacific/Apia")
                        .maximumAdvancePartitions(3),
                KeyType.TIMESTAMPTZ);
        List<Step> steps = Planner.plan(state(rule, List.of(), at("2011-12-29T12:00:00Z"), null));
        assertThat(created(steps))
                .as("Samoa skipped 2011-12-30: the 29th ends where the 31st begins, and the 30th gets nothing")
                .containsExactly(
                        "t_p20111229 [2011-12-29 00:00:00-10:00, 2011-12-31 00:00:00+14:00)",
                        "t_p20111231 [2011-12-31 00:00:00+14:00, 2012-01-01 00:00:00+14:00)",
                        "t_p20120101 [2012-01-01 00:00:00+14:00, 2012-01-02 00:00:00+14:00)");
        List<PartitionRow> upTo29th = existing(rule, at("2011-12-28T12:00:00Z"), 2); // the 28th and the 29th
        assertThat(created(Planner.plan(state(rule, upTo29th, at("2011-12-29T12:00:00Z"), null))))
                .as("continuing from the 29th")
                .containsExactly(
                        "t_p20111231 [2011-12-31 00:00:00+14:00, 2012-01-01 00:00:00+14:00)",
                        "t_p20120101 [2012-01-01 00:00:00+14:00, 2012-01-02 00:00:00+14:00)");
    }

    @Test
    void hourlyPartitionsStartAtLocalHourStartsAcrossAHalfHourShift() {
        ManagedTable rule = rule(
                AutoPartitionSpec.builder(T, "ts")
                        .increment("1 hour")
                        .timeZone("Australia/Lord_Howe")
                        .maximumAdvancePartitions(4),
                KeyType.TIMESTAMPTZ);
        // 2026-04-05 00:30 +11:00; at 02:00 +11:00 the clocks go back to 01:30 +10:30
        List<Step> steps = Planner.plan(state(rule, List.of(), at("2026-04-04T13:30:00Z"), null));
        assertThat(created(steps))
                .as("hour starts in local time, not UTC hours seen at +10:30 (01:30, 02:30 ...)")
                .containsExactly(
                        "t_p20260405_0000 [2026-04-05 00:00:00+11:00, 2026-04-05 01:00:00+11:00)",
                        "t_p20260405_0100 [2026-04-05 01:00:00+11:00, 2026-04-05 02:00:00+10:30)",
                        "t_p20260405_0200 [2026-04-05 02:00:00+10:30, 2026-04-05 03:00:00+10:30)",
                        "t_p20260405_0300 [2026-04-05 03:00:00+10:30, 2026-04-05 04:00:00+10:30)",
                        "t_p20260405_0400 [2026-04-05 04:00:00+10:30, 2026-04-05 05:00:00+10:30)");
        // 2026-10-04 01:10 +10:30; at 02:00 +10:30 the clocks jump to 02:30 +11:00
        assertThat(created(Planner.plan(state(rule, List.of(), at("2026-10-03T14:40:00Z"), null))))
                .as("the 02:00 partition starts at the jump (02:30 +11:00) and lasts half an hour")
                .containsExactly(
                        "t_p20261004_0100 [2026-10-04 01:00:00+10:30, 2026-10-04 02:30:00+11:00)",
                        "t_p20261004_0230 [2026-10-04 02:30:00+11:00, 2026-10-04 03:00:00+11:00)",
                        "t_p20261004_0300 [2026-10-04 03:00:00+11:00, 2026-10-04 04:00:00+11:00)",
                        "t_p20261004_0400 [2026-10-04 04:00:00+11:00, 2026-10-04 05:00:00+11:00)",
                        "t_p20261004_0500 [2026-10-04 05:00:00+11:00, 2026-10-04 06:00:00+11:00)");
    }
}
