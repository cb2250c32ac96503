package dev.autopartition.cli;

import dev.autopartition.AutoPartition;
import dev.autopartition.MigrationPhase;
import dev.autopartition.MigrationSpec;
import dev.autopartition.MigrationStatus;
import dev.autopartition.TableName;
import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Model.CommandSpec;

/** Runs {@code migrateToPartitioned} (start or resume) with a progress display, and prints where it ended. */
final class MigrationRun {
    private final CommandSpec command;
    private final ConnectionOptions connection;
    private final MigrationProgress.Mode mode;

    MigrationRun(CommandSpec command, ConnectionOptions connection, MigrationProgress.Mode mode) {
        this.command = command;
        this.connection = connection;
        this.mode = mode;
    }

    static boolean active(MigrationStatus status) {
        return status.phase() != MigrationPhase.FINALIZED && status.phase() != MigrationPhase.ABORTED;
    }

    /**
     * Starts or resumes the migration.
     *
     * @param resume whether an unfinished migration must exist (resume) or may exist (start continues it)
     */
    int run(MigrationSpec spec, boolean resume) {
        AutoPartition ap = connection.autoPartition();
        TableName table = spec.table();
        PrintWriter err = command.commandLine().getErr();
        Optional<MigrationStatus> existing = ap.migrationStatus(table).filter(MigrationRun::active);
        if (resume && existing.isEmpty()) {
            throw new CliException("No migration of " + table + " is in progress to resume. Fix: start one with"
                    + " 'autopartition migrate start'.");
        }
        if (existing.isPresent()) {
            err.println("autopartition: resuming the migration of " + table + " from phase "
                    + existing.get().phase() + " ("
                    + Progress.count(existing.get().rowsCopied())
                    + " rows copied so far)");
        } else {
            err.println("autopartition: starting the migration of " + table + " ("
                    + spec.strategy().name().toLowerCase(java.util.Locale.ROOT) + ")");
        }
        err.flush();
        MigrationProgress progress = new MigrationProgress(new Poller(table), err, mode);
        Thread hook = new Thread(() -> interrupted(progress, err, table), "autopartition-interrupted");
        Runtime.getRuntime().addShutdownHook(hook);
        MigrationStatus status;
        try {
            status = ap.migrateToPartitioned(spec);
        } finally {
            progress.close();
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException e) {
                // the JVM is already shutting down (Ctrl-C during the last step): the hook says how to go on
            }
        }
        print(command, status);
        return ExitCodes.OK;
    }

    private static void interrupted(MigrationProgress progress, PrintWriter err, TableName table) {
        progress.close();
        MigrationStatus last = progress.last();
        err.println("autopartition: interrupted" + (last == null ? "" : " in phase " + last.phase())
                + ". The migration's progress is recorded: continue it with 'autopartition migrate resume' and the same"
                + " options, or stop it with 'autopartition migrate abort --table " + Reports.argument(table) + "'.");
        err.flush();
    }

    /** Prints a status and the next step on stdout. */
    static void print(CommandSpec command, MigrationStatus status) {
        PrintWriter out = command.commandLine().getOut();
        out.print(Reports.migration(status));
        out.print(Reports.nextLine(status));
        out.flush();
    }

    /** Polls on a connection of its own, opened on first use. */
    private final class Poller implements MigrationProgress.Poller {
        private final TableName table;
        private @Nullable Connection polling;
        private @Nullable AutoPartition ap;

        Poller(TableName table) {
            this.table = table;
        }

        @Override
        public Optional<MigrationStatus> poll() throws SQLException {
            AutoPartition current = ap;
            if (current == null) {
                Connection c = connection.target().dataSource().getConnection();
                polling = c;
                current = connection.autoPartition(c);
                ap = current;
            }
            return current.migrationStatus(table).filter(MigrationRun::active);
        }

        @Override
        public void close() {
            Connection c = polling;
            if (c != null) {
                try {
                    c.close();
                } catch (SQLException e) {
                    // closing a connection that only read; nothing to do
                }
            }
        }
    }
}
