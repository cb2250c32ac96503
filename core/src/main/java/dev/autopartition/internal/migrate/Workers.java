package dev.autopartition.internal.migrate;

import dev.autopartition.AutoPartitionException;
import dev.autopartition.TableName;
import dev.autopartition.internal.pace.Pacer;
import dev.autopartition.internal.run.ConnectionSource;
import java.sql.Connection;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/** The migration's parallel work: partitions or shares of the log spread over connections of their own. */
final class Workers {
    private Workers() {}

    /** Work on one partition, on a connection of its own; {@code worker} numbers that connection from 0. */
    interface PartitionWork {
        void run(Connection connection, int worker, TargetPartition partition);
    }

    /** Work of one of {@code workers} connections; {@code share} numbers it from 0. */
    interface WorkerTask {
        long run(Connection worker, int share);
    }

    /**
     * Runs the work for every partition, on {@code parallelism} connections at once where the connection source can
     * open more than one; the first failure stops the others.
     */
    static void forEachPartition(MigrationRun run, List<TargetPartition> partitions, String what, PartitionWork work) {
        run.pacer.stage(what);
        int workers = Math.min(run.spec.parallelism(), partitions.size());
        if (workers <= 1 || run.ctx.connections.shared()) {
            for (TargetPartition p : partitions) {
                work.run(run.connection, 0, p);
            }
            return;
        }
        Queue<TargetPartition> queue = new ConcurrentLinkedQueue<>(partitions);
        try {
            onWorkers(
                    run.ctx.connections,
                    workers,
                    run.row().table(),
                    "work on the partitions (" + what + ")",
                    run.pacer,
                    (worker, share) -> {
                        for (TargetPartition p = queue.poll(); p != null; p = queue.poll()) {
                            work.run(worker, share, p);
                        }
                        return 0L;
                    });
        } finally {
            queue.clear(); // after a failure the other workers stop at their next partition
        }
    }

    /**
     * Runs a task on {@code workers} connections of their own at once (auto-commit on), and adds up what they return.
     * The first failure met, in worker order, is thrown without waiting for the later workers. Each worker tells
     * {@code pacer} when it is done, so that one it holds back may take its place.
     */
    static long onWorkers(
            ConnectionSource connections, int workers, TableName table, String what, Pacer pacer, WorkerTask task) {
        ExecutorService pool = Executors.newFixedThreadPool(workers, r -> {
            Thread thread = new Thread(r, "autopartition-migration");
            thread.setDaemon(true);
            return thread;
        });
        List<Future<Long>> futures = new ArrayList<>();
        for (int i = 0; i < workers; i++) {
            int share = i;
            futures.add(pool.submit(() -> {
                try {
                    Connection worker = connections.open();
                    try {
                        worker.setAutoCommit(true);
                        return task.run(worker, share);
                    } finally {
                        connections.release(worker);
                    }
                } finally {
                    pacer.done(share);
                }
            }));
        }
        pool.shutdown();
        long total = 0;
        try {
            for (Future<Long> future : futures) {
                total += future.get();
            }
            return total;
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof AutoPartitionException failure) {
                throw failure;
            }
            throw new AutoPartitionException(
                    "The migration of " + table + " failed to " + what + ": "
                            + (cause == null ? e.getMessage() : cause.getMessage()),
                    cause == null ? e : cause);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AutoPartitionException("Interrupted while the migration of " + table + " was to " + what, e);
        }
    }
}
