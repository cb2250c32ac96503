package dev.autopartition.internal.migrate;

import dev.autopartition.AutoPartitionException;
import dev.autopartition.StatementFailedException;
import dev.autopartition.TableName;
import dev.autopartition.internal.sql.Transactions;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Compares every partition with the original's range (count and order-independent checksum, in one snapshot) and
 * repairs what differs by queueing the differing keys for the replay. Each compared run is a batch of the pacer.
 */
final class Verification {
    private static final Logger LOG = LoggerFactory.getLogger(Verification.class);
    /** Rows per verification run: enough that per-statement costs vanish, few enough to compare runs in parallel. */
    private static final long CHUNK_ROWS = 200_000;

    private static final int CHUNK_PARTITIONS = 400;
    private static final int REPAIR_ROUNDS = 5;

    private final MigrationRun run;
    private final ReplaySql sql;

    Verification(MigrationRun run) {
        this.run = run;
        this.sql = run.replaySql();
    }

    /**
     * Runs of contiguous partitions are compared in one scan each, so empty partitions cost nothing; the runs are
     * compared in parallel, and repairs (which replay the shared log) run one at a time afterwards.
     */
    void verify(Replay replay) {
        boolean recordHash = recordHashWorks(run.connection);
        List<List<TargetPartition>> chunks =
                chunks(run.ctx.store.partitions(run.connection, run.row().id()));
        List<TargetPartition> differing = Collections.synchronizedList(new ArrayList<>());
        List<TargetPartition> heads = chunks.stream().map(c -> c.get(0)).toList();
        Map<Long, List<TargetPartition>> byHead = new HashMap<>();
        chunks.forEach(c -> byHead.put(c.get(0).lower(), c));
        Workers.forEachPartition(run, heads, "verify", (worker, share, head) -> {
            List<TargetPartition> chunk = byHead.getOrDefault(head.lower(), List.of(head));
            differing.addAll(differingIn(worker, chunk, recordHash));
            run.pacer.afterBatch(
                    share, chunk.stream().mapToLong(TargetPartition::rowsCopied).sum());
        });
        boolean keys = replay.logHasKeys(run.connection);
        for (TargetPartition p : differing) {
            repair(p, recordHash, keys, replay);
        }
    }

    /** Runs of contiguous partitions of about {@link #CHUNK_ROWS} rows (by the rows the backfill copied). */
    static List<List<TargetPartition>> chunks(List<TargetPartition> partitions) {
        List<List<TargetPartition>> chunks = new ArrayList<>();
        List<TargetPartition> current = new ArrayList<>();
        long rows = 0;
        for (TargetPartition p : partitions) {
            boolean contiguous =
                    current.isEmpty() || current.get(current.size() - 1).upper() == p.lower();
            if (!current.isEmpty()
                    && (!contiguous || rows + p.rowsCopied() > CHUNK_ROWS || current.size() >= CHUNK_PARTITIONS)) {
                chunks.add(current);
                current = new ArrayList<>();
                rows = 0;
            }
            current.add(p);
            rows += p.rowsCopied();
        }
        if (!current.isEmpty()) {
            chunks.add(current);
        }
        return chunks;
    }

    /**
     * The partitions of a run whose count or checksum differs from the original's range, both read in one
     * REPEATABLE READ snapshot; keys with changes still in the log are left out on both sides.
     */
    private List<TargetPartition> differingIn(Connection connection, List<TargetPartition> chunk, boolean recordHash) {
        List<Long> lowers = chunk.stream().map(TargetPartition::lower).toList();
        long upper = chunk.get(chunk.size() - 1).upper();
        String original = sql.chunkChecksums(run.source.name(), true, lowers, upper, recordHash);
        String copy = sql.chunkChecksums(run.row().newTable(), false, lowers, upper, recordHash);
        List<Map<Integer, String>> sides = new ArrayList<>();
        try {
            Transactions.run(connection, () -> {
                try (var st = connection.createStatement()) {
                    st.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ");
                    st.execute(MigrationSql.READ_PAGES_ONCE);
                    for (String query : List.of(original, copy)) {
                        Map<Integer, String> side = new HashMap<>();
                        try (ResultSet rs = st.executeQuery(query)) {
                            while (rs.next()) {
                                side.put(rs.getInt(1), rs.getLong(2) + "/" + rs.getString(3));
                            }
                        }
                        sides.add(side);
                    }
                }
                return Boolean.TRUE;
            });
        } catch (SQLException e) {
            throw new StatementFailedException(
                    "Cannot compare " + run.row().newTable() + " with " + run.source.name(), copy, e);
        }
        List<TargetPartition> differing = new ArrayList<>();
        for (int i = 0; i < chunk.size(); i++) {
            String a = sides.get(0).getOrDefault(i + 1, "0/0");
            String b = sides.get(1).getOrDefault(i + 1, "0/0");
            if (!a.equals(b)) {
                LOG.debug(
                        "{}: {} has {}, the original's range {}",
                        run.source.name(),
                        chunk.get(i).name(),
                        b,
                        a);
                differing.add(chunk.get(i));
            }
        }
        return differing;
    }

    /** Compares a partition with the original's range; differences are queued, replayed and compared again. */
    private void repair(TargetPartition p, boolean recordHash, boolean keys, Replay replay) {
        TableName partition = TableName.of(run.source.name().schema(), p.name());
        for (int round = 1; round <= REPAIR_ROUNDS; round++) {
            if (matches(p, recordHash)) {
                return;
            }
            LOG.info("{}: {} differs from the original; re-copying the differing rows", run.source.name(), partition);
            String queue = sql.queueDifferences(p, keys);
            try {
                Transactions.run(run.connection, () -> {
                    try (var st = run.connection.createStatement()) {
                        return st.executeUpdate(queue);
                    }
                });
            } catch (SQLException e) {
                throw new StatementFailedException("Cannot queue the differences of " + partition, queue, e);
            }
            replay.forward();
        }
        throw new AutoPartitionException(partition + " still differs from " + run.source.name() + " after "
                + REPAIR_ROUNDS + " rounds of repair; the migration stays before its cutover. Fix: look for writes"
                + " that bypass the capture trigger (session_replication_role = replica, disabled triggers), then run"
                + " the migration again.");
    }

    /**
     * Whether a partition's count and checksum equal those of the original's range, in one snapshot; keys with
     * changes still in the log are left out on both sides.
     */
    private boolean matches(TargetPartition p, boolean recordHash) {
        Connection connection = run.connection;
        TableName partition = TableName.of(run.source.name().schema(), p.name());
        String[] results = new String[2];
        String mine = sql.checksum(partition, false, p, recordHash);
        try {
            Transactions.run(connection, () -> {
                try (var st = connection.createStatement()) {
                    st.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ");
                    st.execute(MigrationSql.READ_PAGES_ONCE);
                    results[0] = summary(st, sql.checksum(run.source.name(), true, p, recordHash));
                    results[1] = summary(st, mine);
                }
                return Boolean.TRUE;
            });
        } catch (SQLException e) {
            throw new StatementFailedException("Cannot compare " + partition + " with " + run.source.name(), mine, e);
        }
        if (!results[0].equals(results[1])) {
            LOG.debug("{}: {} has {}, the original's range {}", run.source.name(), partition, results[1], results[0]);
            return false;
        }
        return true;
    }

    private static String summary(java.sql.Statement st, String query) throws SQLException {
        try (ResultSet rs = st.executeQuery(query)) {
            rs.next();
            return rs.getLong(1) + "/" + rs.getString(2);
        }
    }

    /** Whether rows can be hashed as records (every column type has a hash function), which is much faster. */
    private boolean recordHashWorks(Connection connection) {
        try {
            return Transactions.run(connection, () -> {
                try (var st = connection.createStatement()) {
                    st.executeQuery(sql.recordHashProbe()).close();
                    return Boolean.TRUE;
                }
            });
        } catch (SQLException e) {
            return false;
        }
    }
}
