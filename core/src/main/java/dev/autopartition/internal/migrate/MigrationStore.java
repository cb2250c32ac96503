package dev.autopartition.internal.migrate;

import dev.autopartition.AutoPartitionException;
import dev.autopartition.Execution;
import dev.autopartition.LockMode;
import dev.autopartition.MigrationPhase;
import dev.autopartition.MigrationStatus;
import dev.autopartition.MigrationStrategy;
import dev.autopartition.StatementFailedException;
import dev.autopartition.TableName;
import dev.autopartition.internal.catalog.EngineCatalog;
import dev.autopartition.internal.sql.Sql;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/** The migration's control rows in the engine's catalog; every phase writes them with the work it describes. */
final class MigrationStore {
    private final EngineCatalog catalog;

    MigrationStore(EngineCatalog catalog) {
        this.catalog = catalog;
    }

    String migrations() {
        return catalog.table("migration");
    }

    String partitions() {
        return catalog.table("migration_partition");
    }

    /** The change log of a migration (forward: original to new; undo: new to original). */
    TableName log(long id, boolean undo) {
        return TableName.of(catalog.schema(), "migration_" + id + (undo ? "_undo_log" : "_log"));
    }

    TableName captureFunction(long id, boolean undo) {
        return TableName.of(catalog.schema(), "migration_" + id + (undo ? "_undo_capture" : "_capture"));
    }

    TableName guardFunction() {
        return TableName.of(catalog.schema(), "migration_no_truncate");
    }

    /** The unfinished migration of a table, or the last finished one. */
    Optional<MigrationRow> find(Connection connection, TableName table) {
        String sql = "SELECT id, new_name, retired_name, strategy, phase, rows_estimate, rows_copied, rows_replayed,"
                + " cutover_attempts, cutover_lock_ms, message, started_at, behind_since, behind_reason FROM "
                + migrations()
                + " WHERE schema_name = ? AND table_name = ? ORDER BY finished_at IS NULL DESC, id DESC LIMIT 1";
        try (PreparedStatement ps = connection.prepareStatement(sql)) {
            ps.setString(1, table.schema());
            ps.setString(2, table.name());
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                double lock = rs.getDouble(10);
                Double lockMillis = rs.wasNull() ? null : lock;
                return Optional.of(new MigrationRow(
                        rs.getLong(1),
                        table,
                        rs.getString(2),
                        rs.getString(3),
                        MigrationStrategy.valueOf(rs.getString(4)),
                        MigrationPhase.valueOf(rs.getString(5)),
                        rs.getLong(6),
                        rs.getLong(7),
                        rs.getLong(8),
                        rs.getInt(9),
                        lockMillis,
                        rs.getString(11),
                        rs.getObject(12, OffsetDateTime.class).toInstant(),
                        fallingBehind(rs.getObject(13, OffsetDateTime.class), rs.getString(14))));
            }
        } catch (SQLException e) {
            throw new StatementFailedException("Cannot read the migration of " + table, sql, e);
        }
    }

    /**
     * Records that the catch-up is falling behind its writers, with what to do; the time it started falling behind is
     * kept across passes, for status and health.
     */
    void recordBehind(Connection connection, MigrationRow row, String message) {
        String sql = "UPDATE " + migrations() + " SET behind_reason = ?, behind_since = coalesce(behind_since, now()),"
                + " updated_at = now() WHERE id = ?";
        try (PreparedStatement ps = connection.prepareStatement(sql)) {
            ps.setString(1, message);
            ps.setLong(2, row.id());
            ps.executeUpdate();
        } catch (SQLException e) {
            throw new StatementFailedException("Cannot record the catch-up of the migration of " + row.table(), sql, e);
        }
    }

    /** Records that the catch-up keeps up again (or never fell behind). */
    void clearBehind(Connection connection, MigrationRow row) {
        String sql = "UPDATE " + migrations() + " SET behind_since = NULL, behind_reason = NULL WHERE id = ? AND"
                + " behind_since IS NOT NULL";
        try (PreparedStatement ps = connection.prepareStatement(sql)) {
            ps.setLong(1, row.id());
            ps.executeUpdate();
        } catch (SQLException e) {
            throw new StatementFailedException("Cannot record the catch-up of the migration of " + row.table(), sql, e);
        }
    }

    private static MigrationStatus.@Nullable FallingBehind fallingBehind(
            @Nullable OffsetDateTime since, @Nullable String reason) {
        return since == null ? null : new MigrationStatus.FallingBehind(since.toInstant(), String.valueOf(reason));
    }

    /** Every migration not finalized or aborted, with the seconds since its rows (or its partitions') last changed. */
    Map<TableName, Double> unfinished(Connection connection) {
        String sql = "SELECT m.schema_name, m.table_name, extract(epoch FROM now() - greatest(m.updated_at,"
                + " (SELECT max(p.updated_at) FROM " + partitions() + " p WHERE p.migration_id = m.id))) FROM "
                + migrations() + " m WHERE m.finished_at IS NULL ORDER BY m.id";
        Map<TableName, Double> result = new LinkedHashMap<>();
        try (var st = connection.createStatement();
                ResultSet rs = st.executeQuery(sql)) {
            while (rs.next()) {
                result.put(TableName.of(rs.getString(1), rs.getString(2)), rs.getDouble(3));
            }
            return result;
        } catch (SQLException e) {
            throw new StatementFailedException("Cannot list the unfinished migrations", sql, e);
        }
    }

    /** SQL that records a new migration; the id comes from a sequence read first, so names can use it. */
    long nextId(Connection connection) {
        String sql = "SELECT nextval(pg_get_serial_sequence(" + Sql.literal(migrations()) + ", 'id'))";
        try (var st = connection.createStatement();
                ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        } catch (SQLException e) {
            throw new StatementFailedException("Cannot number a new migration", sql, e);
        }
    }

    String insertSql(
            long id,
            SourceTable source,
            String newName,
            String retiredName,
            MigrationStrategy strategy,
            String specJson) {
        return "INSERT INTO " + migrations() + " (id, table_oid, schema_name, table_name, new_name, retired_name,"
                + " key_column, key_type, strategy, spec, phase, rows_estimate) VALUES (" + id + ", " + source.oid()
                + ", " + Sql.literal(source.name().schema()) + ", "
                + Sql.literal(source.name().name()) + ", "
                + Sql.literal(newName) + ", " + Sql.literal(retiredName) + ", " + Sql.literal(source.keyColumn())
                + ", " + Sql.literal(source.keyType().typname()) + ", " + Sql.literal(strategy.name()) + ", "
                + Sql.literal(specJson) + "::jsonb, 'PREPARED', " + source.rowsEstimate() + ")";
    }

    String partitionSql(long id, TargetPartition p) {
        return "INSERT INTO " + partitions() + " (migration_id, partition_name, lower_bound, upper_bound, state)"
                + " VALUES (" + id + ", " + Sql.literal(p.name()) + ", " + p.lower() + ", " + p.upper() + ", "
                + Sql.literal(p.state()) + ") ON CONFLICT (migration_id, lower_bound) DO NOTHING";
    }

    String phaseSql(long id, MigrationPhase phase, @Nullable String message) {
        return "UPDATE " + migrations() + " SET phase = " + Sql.literal(phase.name()) + ", message = "
                + (message == null ? "NULL" : Sql.literal(message)) + ", updated_at = now()"
                + (phase == MigrationPhase.FINALIZED || phase == MigrationPhase.ABORTED ? ", finished_at = now()" : "")
                + (phase == MigrationPhase.CUT_OVER ? ", cut_over_at = now()" : "") + " WHERE id = " + id;
    }

    List<TargetPartition> partitions(Connection connection, long id) {
        String sql = "SELECT partition_name, lower_bound, upper_bound, state, cursor_values, rows_copied FROM "
                + partitions() + " WHERE migration_id = ? ORDER BY lower_bound";
        List<TargetPartition> result = new ArrayList<>();
        try (PreparedStatement ps = connection.prepareStatement(sql)) {
            ps.setLong(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    Array cursor = rs.getArray(5);
                    result.add(new TargetPartition(
                            rs.getString(1),
                            rs.getLong(2),
                            rs.getLong(3),
                            rs.getString(4),
                            cursor == null ? null : Arrays.asList((String[]) cursor.getArray()),
                            rs.getLong(6)));
                }
            }
            return result;
        } catch (SQLException e) {
            throw new StatementFailedException("Cannot read the partitions of migration " + id, sql, e);
        }
    }

    /** Records a copied batch: the partition's cursor and counts, in the batch's own transaction. */
    void recordBatch(Connection connection, long id, TargetPartition p, List<String> cursor, long rows)
            throws SQLException {
        try (PreparedStatement ps = connection.prepareStatement("UPDATE " + partitions()
                + " SET state = 'loading', cursor_values = ?, rows_copied = rows_copied + ?, updated_at = now()"
                + " WHERE migration_id = ? AND lower_bound = ?")) {
            ps.setArray(1, connection.createArrayOf("text", cursor.toArray()));
            ps.setLong(2, rows);
            ps.setLong(3, id);
            ps.setLong(4, p.lower());
            ps.executeUpdate();
        }
        add(connection, id, "rows_copied", rows);
    }

    String attachedSql(long id, TargetPartition p) {
        return "UPDATE " + partitions() + " SET state = 'attached', updated_at = now() WHERE migration_id = " + id
                + " AND lower_bound = " + p.lower();
    }

    void add(Connection connection, long id, String counter, long amount) throws SQLException {
        if (!counter.equals("rows_copied") && !counter.equals("rows_replayed") && !counter.equals("cutover_attempts")) {
            throw new IllegalArgumentException(counter);
        }
        try (PreparedStatement ps = connection.prepareStatement("UPDATE " + migrations() + " SET " + counter + " = "
                + counter + " + ?, updated_at = now() WHERE id = ?")) {
            ps.setLong(1, amount);
            ps.setLong(2, id);
            ps.executeUpdate();
        }
    }

    String cutoverSql(long id, double lockMillis) {
        return "UPDATE " + migrations() + " SET cutover_lock_ms = " + String.format(Locale.ROOT, "%.3f", lockMillis)
                + " WHERE id = " + id;
    }

    /** SQL that stores a migration's script, one JSON object per statement, by stage and order. */
    List<String> scriptSql(long id, MigrationScript script) {
        List<String> sql = new ArrayList<>();
        sql.add("DELETE FROM " + catalog.table("migration_step") + " WHERE migration_id = " + id);
        script.stages().forEach((stage, statements) -> {
            for (int i = 0; i < statements.size(); i++) {
                sql.add("INSERT INTO " + catalog.table("migration_step") + " (migration_id, kind, ordinal, sql)"
                        + " VALUES (" + id + ", " + Sql.literal(stage.kind()) + ", " + i + ", "
                        + Sql.literal(ScriptJson.write(statements.get(i))) + ")");
            }
        });
        return sql;
    }

    /**
     * The stored statements of one stage, as prepared. A migration prepared by a version that stored bare SQL is
     * refused: how to run its statements could only be guessed from their text.
     */
    List<ScriptStatement> script(Connection connection, long id, Stage stage) {
        String sql = "SELECT left(sql, 1) = '{', j ->> 'sql', j ->> 'lockMode', j ->> 'lockedObject', j ->> 'lock',"
                + " j ->> 'execution', j ->> 'creates' FROM " + catalog.table("migration_step")
                + " CROSS JOIN LATERAL (SELECT CASE WHEN left(sql, 1) = '{' THEN sql::jsonb END AS j) s"
                + " WHERE migration_id = ? AND kind = ? ORDER BY ordinal";
        List<ScriptStatement> result = new ArrayList<>();
        try (PreparedStatement ps = connection.prepareStatement(sql)) {
            ps.setLong(1, id);
            ps.setString(2, stage.kind());
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    if (!rs.getBoolean(1)) {
                        throw new AutoPartitionException("Migration " + id + " was prepared by an earlier version of"
                                + " autopartition, which stored its steps as bare SQL. Fix: finish or abort it with"
                                + " that version, then start again with this one.");
                    }
                    result.add(new ScriptStatement(
                            rs.getString(2),
                            LockMode.valueOf(rs.getString(3)),
                            rs.getString(4),
                            rs.getString(5),
                            Execution.valueOf(rs.getString(6)),
                            rs.getString(7)));
                }
            }
            return result;
        } catch (SQLException e) {
            throw new StatementFailedException(
                    "Cannot read the " + stage.kind() + " script of migration " + id, sql, e);
        }
    }

    /** Sets the migration's message without changing its phase. */
    void recordMessage(Connection connection, long id, String message) {
        String sql = "UPDATE " + migrations() + " SET message = ?, updated_at = now() WHERE id = ?";
        try (PreparedStatement ps = connection.prepareStatement(sql)) {
            ps.setString(1, message);
            ps.setLong(2, id);
            ps.executeUpdate();
        } catch (SQLException e) {
            throw new StatementFailedException("Cannot record the message of migration " + id, sql, e);
        }
    }

    /** A value of the stored spec. */
    @Nullable
    String spec(Connection connection, long id, String field) {
        String sql = "SELECT spec ->> ? FROM " + migrations() + " WHERE id = ?";
        try (PreparedStatement ps = connection.prepareStatement(sql)) {
            ps.setString(1, field);
            ps.setLong(2, id);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getString(1) : null;
            }
        } catch (SQLException e) {
            throw new StatementFailedException("Cannot read the spec of migration " + id, sql, e);
        }
    }

    /**
     * Whether more than {@code limit} changes wait in a log. It reads at most {@code limit + 1} entries, where {@link
     * #backlog} counts them all: it runs under the cutover's lock, once per replay batch.
     */
    boolean backlogAbove(Connection connection, long id, boolean undo, long limit) {
        TableName log = log(id, undo);
        return logExists(connection, log)
                && readLog(
                        connection,
                        id,
                        "SELECT count(*) > " + limit + " FROM (SELECT 1 FROM " + log.quoted() + " LIMIT " + (limit + 1)
                                + ") l",
                        rs -> rs.getBoolean(1));
    }

    long backlog(Connection connection, long id, boolean undo) {
        TableName log = log(id, undo);
        return logExists(connection, log)
                ? readLog(connection, id, "SELECT count(*) FROM " + log.quoted(), rs -> rs.getLong(1))
                : 0;
    }

    /** Reads one value about a change log; the query's one row goes to {@code value}. */
    private static <T> T readLog(Connection connection, long id, String sql, LogValue<T> value) {
        try (var st = connection.createStatement();
                ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return value.of(rs);
        } catch (SQLException e) {
            throw new StatementFailedException("Cannot read the change log of migration " + id, sql, e);
        }
    }

    private interface LogValue<T> {
        T of(ResultSet rs) throws SQLException;
    }

    private static boolean logExists(Connection connection, TableName log) {
        String sql = "SELECT to_regclass(" + Sql.literal(log.quoted()) + ") IS NOT NULL";
        try (var st = connection.createStatement();
                ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getBoolean(1);
        } catch (SQLException e) {
            throw new StatementFailedException("Cannot look up the change log " + log, sql, e);
        }
    }
}
