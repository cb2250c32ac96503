package dev.autopartition.internal.migrate;

import dev.autopartition.AutoPartitionException;
import dev.autopartition.StatementFailedException;
import dev.autopartition.TableName;
import dev.autopartition.internal.catalog.TableInfo;
import dev.autopartition.internal.sql.Sql;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * Drains the undo log under the undo's lock: every key written to the partitioned table since the cutover gets its
 * current row in the original table again, so an undo loses nothing.
 */
final class UndoReplay {
    private final MigrationContext ctx;
    private final MigrationRow row;

    UndoReplay(MigrationContext ctx, MigrationRow row) {
        this.ctx = ctx;
        this.row = row;
    }

    void drain(Connection connection) throws SQLException {
        String[] replay = replaySql(connection);
        TableName log = ctx.store.log(row.id(), true);
        while (ctx.store.backlogAbove(connection, row.id(), true, 0)) {
            String ids;
            try (var st = connection.createStatement();
                    ResultSet rs = st.executeQuery("SELECT coalesce(array_agg(log_id), '{}') FROM (SELECT log_id FROM "
                            + log.quoted() + " ORDER BY log_id LIMIT " + Replay.REPLAY_BATCH + ") l")) {
                rs.next();
                ids = "'" + rs.getString(1) + "'::bigint[]";
            }
            try (var st = connection.createStatement()) {
                Replay.indexPlansOnly(st);
                for (String s : replay) {
                    st.executeUpdate(s.replace("{ids}", ids));
                }
            }
        }
    }

    /** The undo replay, built from the original table's columns (read from the retired table now). */
    private String[] replaySql(Connection connection) {
        TableInfo retired = ctx.reader
                .table(connection, row.retiredTable())
                .orElseThrow(() -> new AutoPartitionException("The original table " + row.retiredTable()
                        + " of the migration of " + row.table() + " is gone; it cannot be undone."));
        List<String> pk = pkColumns(connection, row.retiredTable());
        String pkList = String.join(", ", pk.stream().map(Sql::quote).toList());
        String columns = String.join(
                ", ",
                retired.columns().stream()
                        .filter(c -> !c.generated())
                        .map(c -> Sql.quote(c.name()))
                        .toList());
        boolean identity = Lookups.exists(
                connection,
                "SELECT 1 FROM pg_catalog.pg_attribute WHERE attrelid = ?::regclass AND attidentity <> ''",
                "Cannot read the columns of " + row.retiredTable(),
                row.retiredTable().quoted());
        TableName log = ctx.store.log(row.id(), true);
        String keys =
                "(" + pkList + ") IN (SELECT " + pkList + " FROM " + log.quoted() + " WHERE log_id = ANY ({ids}))";
        return new String[] {
            "DELETE FROM " + row.retiredTable().quoted() + " WHERE " + keys,
            "INSERT INTO " + row.retiredTable().quoted() + " (" + columns + ")"
                    + (identity ? " OVERRIDING SYSTEM VALUE" : "") + " SELECT " + columns + " FROM "
                    + row.table().quoted() + " WHERE " + keys,
            "DELETE FROM " + log.quoted() + " WHERE log_id = ANY ({ids})"
        };
    }

    private static List<String> pkColumns(Connection connection, TableName table) {
        String sql = """
                SELECT a.attname FROM pg_catalog.pg_constraint c
                  CROSS JOIN LATERAL unnest(c.conkey) WITH ORDINALITY k(n, o)
                  JOIN pg_catalog.pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = k.n
                 WHERE c.conrelid = ?::regclass AND c.contype = 'p' ORDER BY k.o""";
        List<String> result = new ArrayList<>();
        try (PreparedStatement ps = connection.prepareStatement(sql)) {
            ps.setString(1, table.quoted());
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    result.add(rs.getString(1));
                }
            }
            return result;
        } catch (SQLException e) {
            throw new StatementFailedException("Cannot read the primary key of " + table, sql, e);
        }
    }
}
