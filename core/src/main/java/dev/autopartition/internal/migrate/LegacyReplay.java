package dev.autopartition.internal.migrate;

import dev.autopartition.StatementFailedException;
import dev.autopartition.TableName;
import dev.autopartition.internal.sql.Transactions;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;

/**
 * The replay of a log without partition keys (a migration prepared by an older version, resumed by this one):
 * correct, but each logged key probes every partition.
 */
final class LegacyReplay {
    private final MigrationRun run;
    private final ReplaySql sql;

    LegacyReplay(MigrationRun run, ReplaySql sql) {
        this.run = run;
        this.sql = sql;
    }

    long replay(Connection connection) {
        MigrationStore store = run.ctx.store;
        long id = run.row().id();
        TableName log = store.log(id, false);
        long ceiling = Replay.maxLogId(connection, log);
        String pick = "SELECT coalesce(array_agg(log_id), '{}') FROM (SELECT log_id FROM " + log.quoted()
                + " WHERE log_id <= " + ceiling + " ORDER BY log_id LIMIT " + Replay.REPLAY_BATCH + ") l";
        long replayed = 0;
        while (store.backlogAbove(connection, id, false, 0)) {
            try {
                long picked = Transactions.run(connection, () -> {
                    String ids;
                    try (var st = connection.createStatement();
                            ResultSet rs = st.executeQuery(pick)) {
                        rs.next();
                        ids = rs.getString(1);
                    }
                    if (ids.equals("{}")) {
                        return 0L;
                    }
                    long count = 0;
                    try (var st = connection.createStatement()) {
                        Replay.indexPlansOnly(st);
                        for (String s : sql.legacyReplay(
                                run.source.name(), true, run.row().newTable(), false, "'" + ids + "'::bigint[]")) {
                            count = st.executeUpdate(s);
                        }
                    }
                    store.add(connection, id, "rows_replayed", count);
                    return count;
                });
                if (picked == 0) {
                    break;
                }
                replayed += picked;
            } catch (SQLException e) {
                throw new StatementFailedException(
                        "Cannot replay the changes recorded for " + run.row().table(), "replay of " + log, e);
            }
        }
        return replayed;
    }
}
