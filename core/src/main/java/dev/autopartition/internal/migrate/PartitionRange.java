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

/**
 * Which partitions a migration creates: from the table's smallest key (or now) to the advance window past its largest
 * key (or now), the cut point of the zero-copy strategy, and the note on empty partitions between the newest data and
 * now. All of the migration's partition-range planning is here.
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

    /** The partitions that cover every key in the table, up to the advance window ahead of the current position. */
    List<TargetPartition> partitions(
            Connection connection, SourceTable source, AutoPartitionSpec rule, Set<Long> known) {
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
        return named(connection, source, rule, grid, first, last, known);
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
        KeyType type = source.keyType();
        Set<String> taken =
                new HashSet<>(reader.relationNames(connection, source.name().schema()));
        PartitionNamer namer =
                new PartitionNamer(rule.namingPattern(), source.name().name(), type, rule.increment());
        List<TargetPartition> result = new ArrayList<>();
        for (long slot = first; slot <= last; slot++) {
            long lo = grid.lower(slot);
            if (known.contains(lo) || grid.isEmpty(slot)) {
                continue; // planned already, or the zone's clocks jump over it
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
     * How many of the planned partitions lie between the newest key and the present and so start empty: a table
     * whose data stops long ago gets one partition per increment up to now.
     */
    String gapNote(Connection connection, SourceTable source, AutoPartitionSpec rule, int planned) {
        KeyType type = source.keyType();
        long[] range = keyRange(connection, source);
        if (!type.isTime() || range.length == 0) {
            return "no empty partitions between the newest key and now";
        }
        Grid grid = grid(source, rule);
        long now = type.fromInstant(clock.instant(), rule.timeZone());
        long gap = Math.max(0, grid.slotOf(now) - grid.slotOf(range[1]) - 1);
        return gap + " of the " + planned + " partitions lie between the newest key ("
                + type.display(range[1], rule.timeZone()) + ") and now ("
                + type.display(now, rule.timeZone()) + ") and start empty"
                + (gap > 30
                        ? "; each costs a little to create, verify and replay against (the replay and verification"
                                + " do not grow with them), and keeps a backdated write from failing"
                        : "");
    }

    /** The smallest and largest key in the table (in key units), or an empty array when it is empty. */
    static long[] keyRange(Connection connection, SourceTable source) {
        String key = Sql.quote(source.keyColumn());
        String units = switch (source.keyType()) {
            case TIMESTAMPTZ, TIMESTAMP -> "(extract(epoch FROM %s) * 1000000)::bigint";
            case DATE -> "(%s - DATE '1970-01-01')::bigint";
            default -> "(%s)::bigint";
        };
        String sql =
                "SELECT " + units.replace("%s", "min(" + key + ")") + ", " + units.replace("%s", "max(" + key + ")")
                        + " FROM ONLY " + source.name().quoted();
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
