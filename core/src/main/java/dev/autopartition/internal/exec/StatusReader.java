package dev.autopartition.internal.exec;

import dev.autopartition.MaintenanceRun;
import dev.autopartition.StatementFailedException;
import dev.autopartition.TableName;
import dev.autopartition.TableStatus;
import dev.autopartition.internal.catalog.CitusTable;
import dev.autopartition.internal.catalog.ManagedTable;
import dev.autopartition.internal.catalog.PartitionRow;
import dev.autopartition.internal.plan.Planner;
import dev.autopartition.internal.plan.TableState;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/** Reads the status of every managed table: its advance window, bounds, default partition and last runs. */
final class StatusReader {
    private final Settings settings;
    private final Maintainer maintainer;

    StatusReader(Settings settings, Maintainer maintainer) {
        this.settings = settings;
        this.maintainer = maintainer;
    }

    /** A table's status with its oldest and newest bound as numbers (epoch seconds for time keys). */
    record Observed(
            TableStatus status,
            @Nullable Double oldestBound,
            @Nullable Double newestBound) {}

    List<TableStatus> status(Connection connection) {
        return observe(connection).stream().map(Observed::status).toList();
    }

    List<Observed> observe(Connection connection) {
        List<Observed> result = new ArrayList<>();
        // a failing autocreate expression does not hide what the table has: its failure shows in lastChange
        Maintainer.Snapshot snapshot = maintainer.snapshot(connection, null, true);
        for (Map.Entry<ManagedTable, TableState> entry : snapshot.states().entrySet()) {
            CitusTable citus = snapshot.citus().get(entry.getKey().tableOid());
            result.add(status(connection, entry.getKey(), entry.getValue(), citus == null ? null : citus.describe()));
        }
        for (var skipped : snapshot.skipped()) {
            settings.catalog()
                    .rule(connection, skipped.table())
                    .ifPresent(rule -> result.add(new Observed(
                            new TableStatus(
                                    rule.spec().table(),
                                    rule.spec().column(),
                                    rule.spec().increment(),
                                    rule.spec().enabled(),
                                    0,
                                    -1,
                                    rule.spec().minimumAdvancePartitions(),
                                    null,
                                    null,
                                    null,
                                    null,
                                    skipped.skipped(),
                                    null,
                                    null,
                                    null,
                                    null,
                                    null,
                                    null,
                                    null),
                            null,
                            null)));
        }
        return result;
    }

    /** A bound as a gauge reads it: the instant in epoch seconds for time keys, the number for integer keys. */
    private static @Nullable Double gauge(ManagedTable table, @Nullable Long value) {
        if (value == null) {
            return null;
        }
        if (!table.keyType().isTime()) {
            return value.doubleValue();
        }
        ZoneId zone = table.spec().timeZone();
        return (double) table.keyType().toLocal(value, zone).atZone(zone).toEpochSecond();
    }

    private Observed status(Connection connection, ManagedTable table, TableState state, @Nullable String placement) {
        List<PartitionRow> ranges = state.partitions().stream()
                .filter(p -> p.range() && !p.detachPending())
                .toList();
        Long oldest = ranges.stream()
                .map(PartitionRow::lower)
                .filter(v -> v != null)
                .min(Long::compare)
                .orElse(null);
        Long newest = ranges.stream()
                .map(PartitionRow::upper)
                .filter(v -> v != null)
                .max(Long::compare)
                .orElse(null);
        long current = table.grid().slotOf(Planner.position(state));
        long advance = newest == null ? -1 : Planner.advance(table.grid(), newest, current);
        Long defaultRows = state.partitions().stream()
                .filter(PartitionRow::isDefault)
                .findFirst()
                .map(p -> count(connection, p.name()))
                .orElse(null);
        String[] last = lastRun(connection, table);
        String[] next = nextWork(connection, table);
        List<MaintenanceRun> history = history(connection, table.spec().table(), 1);
        TableStatus status = new TableStatus(
                table.spec().table(),
                table.spec().column(),
                table.spec().increment(),
                table.spec().enabled(),
                state.partitions().size(),
                advance,
                table.spec().minimumAdvancePartitions(),
                oldest == null
                        ? null
                        : table.keyType().display(oldest, table.spec().timeZone()),
                newest == null
                        ? null
                        : table.keyType().display(newest, table.spec().timeZone()),
                defaultRows,
                last[0] == null ? null : Instant.parse(last[0]),
                last[1],
                last[2],
                history.isEmpty() ? null : history.get(0),
                next[0],
                next[1],
                next[2],
                next[3],
                placement);
        return new Observed(status, gauge(table, oldest), gauge(table, newest));
    }

    /**
     * What maintenance does next, from the catalog's planning functions: the same figures the {@code table_status}
     * view shows, at this instance's clock.
     */
    private @Nullable String[] nextWork(Connection connection, ManagedTable table) {
        String sql = "SELECT w.creation_due, w.next_partition, w.retention_due, w.retention_partition FROM "
                + settings.catalog().table("managed_table") + " m CROSS JOIN LATERAL "
                + settings.catalog().table("_next_work") + "(m, ?) w WHERE m.id = ?";
        try (PreparedStatement ps = connection.prepareStatement(sql)) {
            ps.setObject(1, OffsetDateTime.ofInstant(settings.clock().instant(), ZoneOffset.UTC));
            ps.setLong(2, table.id());
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return new String[4];
                }
                return new @Nullable String[] {rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4)};
            }
        } catch (SQLException e) {
            throw new StatementFailedException(
                    "Cannot read the next work on " + table.spec().table(), sql, e);
        }
    }

    /** The newest entries of the work history, of one table or of all. */
    List<MaintenanceRun> history(Connection connection, @Nullable TableName table, int limit) {
        String sql = "SELECT id, schema_name, table_name, started_at, duration_ms, run_by, outcome, created_partitions,"
                + " removed_partitions, moved_rows, skipped, errors, db_user FROM "
                + settings.catalog().table("maintenance_run")
                + (table == null ? "" : " WHERE schema_name = ? AND table_name = ?") + " ORDER BY id DESC LIMIT ?";
        List<MaintenanceRun> runs = new ArrayList<>();
        try (PreparedStatement ps = connection.prepareStatement(sql)) {
            int i = 1;
            if (table != null) {
                ps.setString(i++, table.schema());
                ps.setString(i++, table.name());
            }
            ps.setInt(i, limit);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    runs.add(new MaintenanceRun(
                            rs.getLong("id"),
                            TableName.of(rs.getString("schema_name"), rs.getString("table_name")),
                            rs.getObject("started_at", OffsetDateTime.class).toInstant(),
                            Duration.ofMillis(rs.getLong("duration_ms")),
                            MaintenanceRun.Runner.valueOf(rs.getString("run_by").toUpperCase(Locale.ROOT)),
                            MaintenanceRun.Outcome.valueOf(
                                    rs.getString("outcome").toUpperCase(Locale.ROOT)),
                            strings(rs.getArray("created_partitions")),
                            strings(rs.getArray("removed_partitions")),
                            rs.getLong("moved_rows"),
                            rs.getString("skipped"),
                            rs.getString("errors"),
                            rs.getString("db_user")));
                }
            }
            return runs;
        } catch (SQLException e) {
            throw new StatementFailedException("Cannot read the maintenance history", sql, e);
        }
    }

    private static List<String> strings(java.sql.@Nullable Array array) throws SQLException {
        return array == null ? List.of() : List.of((String[]) array.getArray());
    }

    private static long count(Connection connection, TableName table) {
        String sql = "SELECT count(*) FROM " + table.quoted();
        try (var st = connection.createStatement();
                ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        } catch (SQLException e) {
            throw new StatementFailedException("Cannot count the rows of " + table, sql, e);
        }
    }

    /** When maintenance last looked at the table, and what its last run that did something reported. */
    private @Nullable String[] lastRun(Connection connection, ManagedTable table) {
        String sql =
                "SELECT m.last_maintained_at, m.last_maintained_by, (SELECT concat_ws(' ', 'at', r.started_at::text, 'created',"
                        + " r.created, 'detached', r.detached, 'dropped', r.dropped, 'moved', r.moved,"
                        + " 'skipped: ' || r.skipped, 'errors: ' || r.errors) FROM "
                        + settings.catalog().table("maintenance_run")
                        + " r WHERE r.schema_name = m.schema_name AND r.table_name = m.table_name ORDER BY r.id DESC LIMIT 1)"
                        + " FROM " + settings.catalog().table("managed_table") + " m WHERE m.id = ?";
        try (PreparedStatement ps = connection.prepareStatement(sql)) {
            ps.setLong(1, table.id());
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return new String[3];
                }
                OffsetDateTime at = rs.getObject(1, OffsetDateTime.class);
                return new @Nullable String[] {
                    at == null ? null : at.toInstant().toString(), rs.getString(3), rs.getString(2)
                };
            }
        } catch (SQLException e) {
            throw new StatementFailedException(
                    "Cannot read the last maintenance of " + table.spec().table(), sql, e);
        }
    }
}
