package dev.autopartition.internal.exec;

import dev.autopartition.StatementFailedException;
import dev.autopartition.TableName;
import dev.autopartition.TableStatus;
import dev.autopartition.internal.catalog.ManagedTable;
import dev.autopartition.internal.catalog.PartitionRow;
import dev.autopartition.internal.plan.Planner;
import dev.autopartition.internal.plan.TableState;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
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
            result.add(status(connection, entry.getKey(), entry.getValue()));
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
                                    skipped.skipped()),
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

    private Observed status(Connection connection, ManagedTable table, TableState state) {
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
                last[1]);
        return new Observed(status, gauge(table, oldest), gauge(table, newest));
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
        String sql = "SELECT m.last_maintained_at, (SELECT concat_ws(' ', 'at', r.started_at::text, 'created',"
                + " r.created, 'detached', r.detached, 'dropped', r.dropped, 'moved', r.moved,"
                + " 'skipped: ' || r.skipped, 'errors: ' || r.errors) FROM "
                + settings.catalog().table("maintenance_run")
                + " r WHERE r.schema_name = m.schema_name AND r.table_name = m.table_name ORDER BY r.id DESC LIMIT 1)"
                + " FROM " + settings.catalog().table("managed_table") + " m WHERE m.id = ?";
        try (PreparedStatement ps = connection.prepareStatement(sql)) {
            ps.setLong(1, table.id());
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return new String[2];
                }
                OffsetDateTime at = rs.getObject(1, OffsetDateTime.class);
                return new @Nullable String[] {
                    at == null ? null : at.toInstant().toString(), rs.getString(2)
                };
            }
        } catch (SQLException e) {
            throw new StatementFailedException(
                    "Cannot read the last maintenance of " + table.spec().table(), sql, e);
        }
    }
}
