package dev.autopartition.internal.migrate;

import dev.autopartition.StatementFailedException;
import dev.autopartition.internal.spec.Grid;
import dev.autopartition.internal.sql.KeyType;
import dev.autopartition.internal.sql.Sql;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * The grid slots that hold at least one row of the source table. With an index on the key it skips from slot to slot
 * (one index probe per occupied slot, nothing read of the empty ones); without one it reads the table once.
 */
final class OccupiedPeriods {
    /** Beyond this many candidate slots the one-scan form would send an unwieldy array of bounds. */
    private static final long MAX_SCAN_SLOTS = 20_000;

    private final SourceTable source;
    private final Grid grid;

    OccupiedPeriods(SourceTable source, Grid grid) {
        this.source = source;
        this.grid = grid;
    }

    /**
     * The occupied slots from {@code first} to {@code last}, both included, leaving out the slots in {@code skip}
     * (those already have partitions): with the index only the runs between them are probed.
     */
    SortedSet<Long> between(Connection connection, long first, long last, Set<Long> skip, boolean keyIndex) {
        SortedSet<Long> slots = keyIndex || last - first > MAX_SCAN_SLOTS
                ? skipScan(connection, first, last, skip)
                : oneScan(connection, first, last);
        slots.removeAll(skip);
        return slots;
    }

    private SortedSet<Long> skipScan(Connection connection, long first, long last, Set<Long> skip) {
        SortedSet<Long> slots = new TreeSet<>();
        KeyType type = source.keyType();
        String key = Sql.quote(source.keyColumn());
        String select = "SELECT " + units(type, "min(" + key + ")") + " FROM ONLY "
                + source.name().quoted() + " WHERE " + key + " >= ";
        String sql = select;
        try (var st = connection.createStatement()) {
            long slot = first;
            while (slot <= last) {
                if (skip.contains(slot)) {
                    slot++;
                    continue;
                }
                long runEnd = slot;
                while (runEnd < last && !skip.contains(runEnd + 1)) {
                    runEnd++;
                }
                sql = select + type.literal(grid.lower(slot)) + " AND " + key + " < "
                        + type.literal(grid.upper(runEnd));
                try (ResultSet rs = st.executeQuery(sql)) {
                    rs.next();
                    long min = rs.getLong(1);
                    if (rs.wasNull()) {
                        slot = runEnd + 1; // nothing in the whole run
                    } else {
                        long occupied = Math.max(slot, grid.slotOf(min));
                        slots.add(occupied);
                        slot = occupied + 1;
                    }
                }
            }
            return slots;
        } catch (SQLException e) {
            throw new StatementFailedException(
                    "Cannot find the periods of " + source.name() + " that hold rows", sql, e);
        }
    }

    private SortedSet<Long> oneScan(Connection connection, long first, long last) {
        KeyType type = source.keyType();
        List<String> bounds = new ArrayList<>();
        for (long slot = first; slot <= last + 1; slot++) {
            bounds.add(type.literal(grid.lower(slot)));
        }
        String sql = "SELECT DISTINCT width_bucket(" + Sql.quote(source.keyColumn()) + ", ARRAY["
                + String.join(", ", bounds) + "]::" + type.sqlName() + "[]) FROM ONLY "
                + source.name().quoted();
        SortedSet<Long> slots = new TreeSet<>();
        try (var st = connection.createStatement();
                ResultSet rs = st.executeQuery(sql)) {
            while (rs.next()) {
                int bucket = rs.getInt(1); // 0 below the first bound, bounds.size() at or above the last
                if (bucket >= 1 && bucket < bounds.size()) {
                    slots.add(first + bucket - 1);
                }
            }
            return slots;
        } catch (SQLException e) {
            throw new StatementFailedException(
                    "Cannot find the periods of " + source.name() + " that hold rows", sql, e);
        }
    }

    /** A key expression in the grid's units: microseconds since the epoch, days since 1970 for a date, the integer. */
    static String units(KeyType type, String expression) {
        return switch (type) {
            case TIMESTAMPTZ, TIMESTAMP -> "(extract(epoch FROM " + expression + ") * 1000000)::bigint";
            case DATE -> "(" + expression + " - DATE '1970-01-01')::bigint";
            default -> "(" + expression + ")::bigint";
        };
    }
}
