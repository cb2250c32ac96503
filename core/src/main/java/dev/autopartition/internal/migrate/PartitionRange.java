package dev.autopartition.internal.migrate;

import dev.autopartition.AutoPartitionSpec;
import dev.autopartition.InvalidSpecException;
import dev.autopartition.SpecField;
import dev.autopartition.StatementFailedException;
import dev.autopartition.internal.catalog.CatalogReader;
import dev.autopartition.internal.spec.Grid;
import dev.autopartition.internal.spec.PartitionNamer;
import dev.autopartition.internal.sql.KeyType;
import dev.autopartition.internal.sql.Sql;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * Which partitions a migration creates: from the table's smallest key (or now) to the advance window past its largest
 * key (or now), or, with {@code skipEmptyPeriods}, only the periods that hold rows, the current one, the one before
 * it and the advance window; the cut point of the zero-copy strategy, and the note on the periods between the newest
 * data and now. Partitions added to an existing plan (the clock moved, rows came in outside it) are the periods beyond
 * its newest partition and the periods that hold rows but have none. All of the migration's partition-range planning
 * is here.
 */
final class PartitionRange {
    /** More partitions than this are refused: a stray far-away key, or an increment far too small. */
    private static final long MAX_PARTITIONS = 100_000;

    private final Clock clock;
    private final CatalogReader reader = new CatalogReader();

    PartitionRange(Clock clock) {
        this.clock = clock;
    }

    static Grid grid(SourceTable source, AutoPartitionSpec rule) {
        KeyType type = source.keyType();
        Long initial = rule.initialLowerBound() == null ? null : type.parse(rule.initialLowerBound(), rule.timeZone());
        return new Grid(
                type,
                rule.increment(),
                initial != null ? initial : Grid.defaultOrigin(type, rule.increment(), rule.timeZone()),
                rule.timeZone());
    }

    /**
     * The partitions of a new plan ({@code known} empty), or the ones missing from an existing one ({@code known}: the
     * lower bounds of its partitions; {@code skipEmpty} does not matter then).
     */
    List<TargetPartition> partitions(
            Connection connection, SourceTable source, AutoPartitionSpec rule, Set<Long> known, boolean skipEmpty) {
        KeyType type = source.keyType();
        Grid grid = grid(source, rule);
        long[] range = keyRange(connection, source);
        long position = type.isTime()
                ? type.fromInstant(clock.instant(), rule.timeZone())
                : range.length == 0 ? grid.origin() : range[1];
        long first = grid.slotOf(range.length == 0 ? position : Math.min(range[0], position));
        long last = grid.slotOf(range.length == 0 ? position : Math.max(range[1], position))
                + rule.maximumAdvancePartitions();
        if (last - first > MAX_PARTITIONS) {
            throw new InvalidSpecException(
                    SpecField.INCREMENT,
                    "Migrating " + source.name() + " by " + rule.increment() + " would need "
                            + (last - first + 1) + " partitions (keys from "
                            + type.display(grid.lower(first), rule.timeZone())
                            + "). Fix: use a larger increment, or check for stray far-away key values.");
        }
        if (known.isEmpty() && !skipEmpty) {
            return named(connection, source, rule, grid, first, last, known);
        }
        Set<Long> knownSlots = new HashSet<>();
        known.forEach(lower -> knownSlots.add(grid.slotOf(lower)));
        SortedSet<Long> slots = new TreeSet<>(
                new OccupiedPeriods(source, grid).between(connection, first, last, knownSlots, source.keyIndexed()));
        long tail = known.isEmpty()
                ? grid.slotOf(position) - 1 // the period before now: writes a little in the past are common
                : knownSlots.stream().mapToLong(Long::longValue).max().orElse(first - 1) + 1;
        for (long slot = Math.max(first, tail); slot <= last; slot++) {
            slots.add(slot);
        }
        slots.removeAll(knownSlots);
        return named(connection, source, rule, grid, slots);
    }

    /** The zero-copy strategy's partitions: from the cut point through the advance window. */
    List<TargetPartition> fromCut(Connection connection, SourceTable source, AutoPartitionSpec rule, long cut) {
        Grid grid = grid(source, rule);
        long cutSlot = grid.slotOf(cut);
        return named(connection, source, rule, grid, cutSlot, cutSlot + rule.maximumAdvancePartitions(), Set.of());
    }

    private List<TargetPartition> named(
            Connection connection,
            SourceTable source,
            AutoPartitionSpec rule,
            Grid grid,
            long first,
            long last,
            Set<Long> known) {
        SortedSet<Long> slots = new TreeSet<>();
        for (long slot = first; slot <= last; slot++) {
            if (!known.contains(grid.lower(slot))) {
                slots.add(slot);
            }
        }
        return named(connection, source, rule, grid, slots);
    }

    private List<TargetPartition> named(
            Connection connection, SourceTable source, AutoPartitionSpec rule, Grid grid, SortedSet<Long> slots) {
        KeyType type = source.keyType();
        Set<String> taken =
                new HashSet<>(reader.relationNames(connection, source.name().schema()));
        PartitionNamer namer =
                new PartitionNamer(rule.namingPattern(), source.name().name(), type, rule.increment());
        List<TargetPartition> result = new ArrayList<>();
        for (long slot : slots) {
            long lo = grid.lower(slot);
            if (grid.isEmpty(slot)) {
                continue; // the zone's clocks jump over it
            }
            String name = namer.name(lo, type.isTime() ? grid.lowerLocal(slot) : null, taken::contains);
            taken.add(name);
            result.add(new TargetPartition(name, lo, grid.upper(slot), "planned", null, 0));
        }
        return result;
    }

    /** The cut point: two increments past the slot of the newest key or the current time, whichever is later. */
    long cut(Connection connection, SourceTable source, AutoPartitionSpec rule) {
        KeyType type = source.keyType();
        Grid grid = grid(source, rule);
        long[] range = keyRange(connection, source);
        long position = type.isTime() ? type.fromInstant(clock.instant(), rule.timeZone()) : grid.origin();
        if (range.length > 0) {
            position = Math.max(position, range[1]);
        }
        return grid.lower(grid.slotOf(position) + 2);
    }

    /**
     * How many periods lie between the newest key and the present, and what they cost: created empty by default,
     * left out with {@code skipEmptyPeriods}.
     */
    String gapNote(Connection connection, SourceTable source, AutoPartitionSpec rule, int planned, boolean skipEmpty) {
        KeyType type = source.keyType();
        long[] range = keyRange(connection, source);
        if (!type.isTime() || range.length == 0) {
            return "no empty periods between the newest key and now";
        }
        Grid grid = grid(source, rule);
        long now = type.fromInstant(clock.instant(), rule.timeZone());
        long gap = Math.max(0, grid.slotOf(now) - grid.slotOf(range[1]) - 1);
        String between = " between the newest key (" + type.display(range[1], rule.timeZone()) + ") and now ("
                + type.display(now, rule.timeZone()) + ")";
        if (skipEmpty) {
            long skipped = Math.max(0, gap - 1); // the period before now is kept
            return planned + " partitions where rows are, around now and ahead; " + skipped + " empty periods"
                    + between + " get none"
                    + (rule.defaultPartition()
                            ? ": backdated writes into them go to the default partition"
                            : ": a backdated write into them fails (no partition). Fix, if such writes happen: give"
                                    + " the rule a default partition");
        }
        return gap + " of the " + planned + " partitions lie" + between + " and start empty"
                + (gap > 30
                        ? "; each costs a little to create and attach and is kept by maintenance. To make partitions"
                                + " only where there is data and around now, use skipEmptyPeriods (CLI:"
                                + " --skip-empty-periods)"
                        : "");
    }

    /** The smallest and largest key in the table (in key units), or an empty array when it is empty. */
    static long[] keyRange(Connection connection, SourceTable source) {
        String key = Sql.quote(source.keyColumn());
        KeyType type = source.keyType();
        String sql = "SELECT " + OccupiedPeriods.units(type, "min(" + key + ")") + ", "
                + OccupiedPeriods.units(type, "max(" + key + ")") + " FROM ONLY "
                + source.name().quoted();
        try (var st = connection.createStatement();
                ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            long min = rs.getLong(1);
            return rs.wasNull() ? new long[0] : new long[] {min, rs.getLong(2)};
        } catch (SQLException e) {
            throw new StatementFailedException("Cannot read the key range of " + source.name(), sql, e);
        }
    }
}
