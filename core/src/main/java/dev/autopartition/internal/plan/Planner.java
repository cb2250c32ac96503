package dev.autopartition.internal.plan;

import dev.autopartition.AutoPartitionSpec;
import dev.autopartition.InvalidSpecException;
import dev.autopartition.SpecField;
import dev.autopartition.TableName;
import dev.autopartition.internal.catalog.ManagedTable;
import dev.autopartition.internal.catalog.OwnedPartition;
import dev.autopartition.internal.catalog.PartitionRow;
import dev.autopartition.internal.catalog.Placement;
import dev.autopartition.internal.spec.Grid;
import dev.autopartition.internal.spec.Interval;
import dev.autopartition.internal.spec.PartitionNamer;
import dev.autopartition.internal.sql.KeyType;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * The planner: a pure function from a table's rule and state to the steps maintenance takes now. It reads nothing
 * and changes nothing, so unit tests drive it without a database.
 *
 * <p>Creation keeps {@code minimumAdvancePartitions} to {@code maximumAdvancePartitions} partitions ahead of the
 * current position (the clock for time keys, the largest key for integer keys): once fewer than the minimum lie
 * ahead, it creates up to the maximum (hysteresis). Gaps since the newest partition are filled, except partitions
 * retention would remove at once. Retention removes owned partitions whose upper bound is at or before the cut-off,
 * never the newest partition and never the one holding the current position. Tiering then moves owned partitions
 * whose upper bound is at or before the tiering cut-off (and that retention does not remove) to the tier tablespace,
 * oldest first, one partition per step; a partition already there is left alone. A slot of the grid whose period
 * does not exist in the table's zone (the clocks jump over it) gets no partition.
 */
public final class Planner {
    /** The most partitions one run creates for one table; more means a runaway key or a wrong increment. */
    public static final int MAX_CREATE_PER_RUN = 10_000;

    private Planner() {}

    public static List<Step> plan(TableState state) {
        ManagedTable table = state.table();
        List<Step> steps = new ArrayList<>();
        Optional<PartitionRow> defaultPartition =
                state.partitions().stream().filter(PartitionRow::isDefault).findFirst();
        Set<String> reserved = new HashSet<>();
        if (table.spec().defaultPartition() && defaultPartition.isEmpty()) {
            steps.add(createDefault(state, reserved));
        }
        List<Step> creations =
                creations(state, defaultPartition.map(PartitionRow::name).orElse(null), reserved);
        steps.addAll(creations);
        long newestCreated = creations.stream()
                .filter(s -> s instanceof CreatePartition)
                .mapToLong(s -> ((CreatePartition) s).lower())
                .max()
                .orElse(Long.MIN_VALUE);
        boolean hasDefault = defaultPartition.isPresent() || table.spec().defaultPartition();
        steps.addAll(removals(state, hasDefault, newestCreated));
        // long rewrites last: a failing move must not hold back creation or retention
        steps.addAll(moves(state));
        return steps;
    }

    private static Step createDefault(TableState state, Set<String> reserved) {
        TableName parent = state.table().spec().table();
        Optional<OwnedPartition> pending = state.owned().values().stream()
                .filter(p ->
                        p.isDefault() && p.pending() && state.relationExists().test(p.name()))
                .findFirst();
        if (pending.isPresent()) {
            return AttachPartition.defaultPartition(parent, pending.get().name(), true);
        }
        String name = state.table().namer().defaultName(n -> state.nameTaken().test(n) || reserved.contains(n));
        reserved.add(name);
        return AttachPartition.defaultPartition(parent, TableName.of(parent.schema(), name), false);
    }

    /** The current position in key units: the clock for time keys, the largest key (or the start) otherwise. */
    public static long position(TableState state) {
        ManagedTable table = state.table();
        if (table.keyType().isTime()) {
            return state.now();
        }
        if (state.maxKey() != null) {
            return state.maxKey();
        }
        Long initial = initialLowerBound(table);
        return initial != null ? initial : table.origin();
    }

    /**
     * The position advance partitions are counted from: the value of the rule's autocreate expression when it has
     * one (and it was not NULL), else {@link #position(TableState)}.
     */
    public static long creationPosition(TableState state) {
        Long evaluated = state.creationPosition();
        return evaluated != null ? evaluated : position(state);
    }

    static @Nullable Long initialLowerBound(ManagedTable table) {
        String text = table.spec().initialLowerBound();
        return text == null ? null : table.keyType().parse(text, table.spec().timeZone());
    }

    private static List<Step> creations(TableState state, @Nullable TableName defaultPartition, Set<String> reserved) {
        ManagedTable table = state.table();
        AutoPartitionSpec spec = table.spec();
        Grid grid = table.grid();
        List<PartitionRow> ranges = state.partitions().stream()
                .filter(p -> p.range() && !p.detachPending())
                .toList();
        if (ranges.stream().anyMatch(p -> p.upper() == null)) {
            return List.of(); // a MAXVALUE partition already covers everything ahead
        }
        long position = creationPosition(state);
        long current = grid.slotOf(position);
        long last = current + spec.maximumAdvancePartitions();
        long first;
        if (ranges.isEmpty()) {
            Long initial = initialLowerBound(table);
            first = initial == null ? current : Math.min(grid.slotOf(initial), current);
        } else {
            long newestUpper = ranges.stream()
                    .mapToLong(p -> p.upper() == null ? Long.MAX_VALUE : p.upper())
                    .max()
                    .orElseThrow();
            if (advance(grid, newestUpper, current) >= spec.minimumAdvancePartitions()) {
                return List.of();
            }
            first = grid.slotOf(newestUpper);
        }
        Long cutoff = retentionCutoff(state);
        if (cutoff != null) {
            // retention would remove the slots that end at or before the cut-off at once: start with the one holding it
            first = Math.max(first, grid.slotOf(cutoff));
        }
        if (last - first + 1 > MAX_CREATE_PER_RUN) {
            throw new InvalidSpecException(
                    SpecField.INCREMENT,
                    "Maintenance of " + spec.table() + " would create " + (last - first + 1)
                            + " partitions at once (from " + describe(table, grid.lower(first))
                            + "). Fix: check the key"
                            + " values and the increment (" + spec.increment()
                            + "), or set an initial lower bound closer to"
                            + " the data.");
        }
        List<Step> steps = new ArrayList<>();
        for (long slot = first; slot <= last; slot++) {
            long lo = grid.lower(slot);
            long hi = grid.upper(slot);
            if (lo >= hi) {
                continue; // a period the zone's clocks jump over (a skipped day or hour) holds nothing
            }
            if (ranges.stream().anyMatch(p -> p.overlaps(lo, hi))) {
                continue;
            }
            steps.add(create(state, grid, slot, defaultPartition, reserved));
        }
        return steps;
    }

    /** How many whole slots after the current one are covered up to {@code newestUpper}; -1 if the current is not. */
    public static long advance(Grid grid, long newestUpper, long current) {
        if (newestUpper <= grid.lower(current)) {
            return -1;
        }
        if (newestUpper < grid.upper(current)) {
            return 0;
        }
        return grid.slotOf(newestUpper - 1) - current;
    }

    private static CreatePartition create(
            TableState state, Grid grid, long slot, @Nullable TableName defaultPartition, Set<String> reserved) {
        ManagedTable table = state.table();
        TableName parent = table.spec().table();
        long lo = grid.lower(slot);
        long hi = grid.upper(slot);
        String range = range(table, lo, hi);
        Optional<OwnedPartition> pending = state.owned().values().stream()
                .filter(p -> p.pending()
                        && !p.isDefault()
                        && Long.valueOf(lo).equals(p.lower())
                        && Long.valueOf(hi).equals(p.upper())
                        && state.relationExists().test(p.name()))
                .findFirst();
        if (pending.isPresent()) {
            return new CreatePartition(
                    parent, pending.get().name(), lo, hi, range, true, defaultPartition, state.columns());
        }
        PartitionNamer namer = table.namer();
        String name = namer.name(
                lo,
                table.keyType().isTime() ? grid.lowerLocal(slot) : null,
                n -> state.nameTaken().test(n) || reserved.contains(n));
        reserved.add(name);
        return new CreatePartition(
                parent,
                TableName.of(parent.schema(), name),
                lo,
                hi,
                range,
                false,
                defaultPartition,
                defaultPartition == null ? List.of() : state.columns());
    }

    /** The key value at and before which partitions are past retention, or null without retention. */
    static @Nullable Long retentionCutoff(TableState state) {
        ManagedTable table = state.table();
        AutoPartitionSpec spec = table.spec();
        if (spec.retention() == null) {
            return null;
        }
        KeyType type = table.keyType();
        if (!type.isTime()) {
            return position(state) - Long.parseLong(spec.retention().trim());
        }
        Interval interval = spec.retentionInterval();
        if (interval == null) {
            return null;
        }
        return type.fromLocal(interval.before(type.toLocal(state.now(), spec.timeZone())), spec.timeZone());
    }

    /** The key value at and before which partitions move to the tier tablespace, or null without tiering. */
    static @Nullable Long tierCutoff(TableState state) {
        ManagedTable table = state.table();
        AutoPartitionSpec spec = table.spec();
        if (!spec.tiering() || spec.tierAfter() == null) {
            return null;
        }
        KeyType type = table.keyType();
        if (!type.isTime()) {
            return position(state) - Long.parseLong(spec.tierAfter().trim());
        }
        Interval interval = spec.tierAfterInterval();
        if (interval == null) {
            return null;
        }
        return type.fromLocal(interval.before(type.toLocal(state.now(), spec.timeZone())), spec.timeZone());
    }

    /** Tiering: owned, attached partitions past tierAfter that are not yet (wholly) in the tier tablespace. */
    private static List<Step> moves(TableState state) {
        Long cutoff = tierCutoff(state);
        String tablespace = state.table().spec().tierTablespace();
        if (cutoff == null || tablespace == null) {
            return List.of();
        }
        ManagedTable table = state.table();
        Long removedUpTo = retentionCutoff(state);
        long position = position(state);
        List<Step> steps = new ArrayList<>();
        state.partitions().stream()
                .filter(p -> p.range() && !p.detachPending() && p.upper() != null && p.upper() <= cutoff)
                .filter(p -> removedUpTo == null || p.upper() == null || p.upper() > removedUpTo) // else removed
                .filter(p -> isOwnedAttached(state, p.name()))
                .filter(p -> !holds(p, position))
                .sorted(Comparator.comparing(p -> p.lower() == null ? Long.MIN_VALUE : p.lower()))
                .forEach(p -> {
                    Placement placement = state.placements().get(p.name());
                    if (placement == null) {
                        return; // not read: never move what we cannot see
                    }
                    boolean moveTable = !placement.tablespace().equals(tablespace);
                    List<TableName> indexes = placement.indexes().entrySet().stream()
                            .filter(e -> !e.getValue().equals(tablespace))
                            .map(e -> TableName.of(p.name().schema(), e.getKey()))
                            .sorted(Comparator.comparing(TableName::name))
                            .toList();
                    if (moveTable || !indexes.isEmpty()) {
                        steps.add(new MovePartition(
                                table.spec().table(),
                                p.name(),
                                range(table, p.lower(), p.upper()),
                                tablespace,
                                moveTable,
                                indexes));
                    }
                });
        return steps;
    }

    /** Retention; "the newest partition" counts the partitions this run creates first. */
    private static List<Step> removals(TableState state, boolean hasDefault, long newestCreated) {
        Long cutoff = retentionCutoff(state);
        if (cutoff == null) {
            return List.of();
        }
        ManagedTable table = state.table();
        AutoPartitionSpec spec = table.spec();
        long position = position(state);
        List<PartitionRow> ranges =
                state.partitions().stream().filter(PartitionRow::range).toList();
        long newestLower = ranges.stream()
                .filter(p -> !p.detachPending())
                .mapToLong(p -> p.lower() == null ? Long.MIN_VALUE : p.lower())
                .max()
                .orElse(Long.MIN_VALUE);
        long newest = Math.max(newestLower, newestCreated);
        List<Step> steps = new ArrayList<>();
        ranges.stream()
                .filter(p -> p.upper() != null && p.upper() <= cutoff)
                .filter(p -> isOwnedAttached(state, p.name()))
                .filter(p -> p.lower() == null || p.lower() < newest) // never the newest
                .filter(p -> !holds(p, position))
                // FINALIZE cannot run inside a caller's transaction: leave it to a run that owns its transactions
                .filter(p -> !p.detachPending() || state.concurrentDetach())
                .sorted(Comparator.comparing(p -> p.lower() == null ? Long.MIN_VALUE : p.lower()))
                .forEach(p -> {
                    RemovePartition.Detach detach = p.detachPending()
                            ? RemovePartition.Detach.FINALIZE
                            : state.concurrentDetach() && !hasDefault
                                    ? RemovePartition.Detach.CONCURRENTLY
                                    : RemovePartition.Detach.PLAIN;
                    steps.add(new RemovePartition(
                            spec.table(),
                            p.name(),
                            range(table, p.lower(), p.upper()),
                            spec.retentionAction(),
                            spec.retentionSchema(),
                            detach));
                });
        steps.addAll(unfinishedRemovals(state, cutoff));
        return steps;
    }

    private static boolean holds(PartitionRow p, long position) {
        return (p.lower() == null || p.lower() <= position) && (p.upper() == null || position < p.upper());
    }

    private static boolean isOwnedAttached(TableState state, TableName name) {
        OwnedPartition owned = state.owned().get(name);
        return owned != null && owned.state().equals("attached");
    }

    /** Owned partitions that a crash left detached but not yet dropped or moved. */
    private static List<Step> unfinishedRemovals(TableState state, long cutoff) {
        ManagedTable table = state.table();
        AutoPartitionSpec spec = table.spec();
        Set<TableName> attached = new HashSet<>();
        state.partitions().forEach(p -> attached.add(p.name()));
        List<Step> steps = new ArrayList<>();
        state.owned().values().stream()
                .filter(p -> p.state().equals("attached") && !p.isDefault() && !attached.contains(p.name()))
                .filter(p -> p.upper() != null
                        && p.upper() <= cutoff
                        && state.relationExists().test(p.name()))
                .sorted(Comparator.comparing(p -> p.lower() == null ? Long.MIN_VALUE : p.lower()))
                .forEach(p -> steps.add(new RemovePartition(
                        spec.table(),
                        p.name(),
                        range(table, p.lower(), p.upper()),
                        spec.retentionAction(),
                        spec.retentionSchema(),
                        RemovePartition.Detach.DONE)));
        return steps;
    }

    static String range(ManagedTable table, @Nullable Long lo, @Nullable Long hi) {
        return "[" + (lo == null ? "MINVALUE" : describe(table, lo)) + ", "
                + (hi == null ? "MAXVALUE" : describe(table, hi)) + ")";
    }

    private static String describe(ManagedTable table, long value) {
        return table.keyType().display(value, table.spec().timeZone());
    }
}
