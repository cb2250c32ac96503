package dev.autopartition.cli;

import dev.autopartition.AutoPartition;
import dev.autopartition.MigrationPhase;
import dev.autopartition.MigrationStatus;
import dev.autopartition.Operation;
import dev.autopartition.TableName;
import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Locale;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code migrate start} and {@code resume}: carry out an {@link Operation.Migrate} with a progress display on stderr,
 * and print where it ended.
 */
@Command(
        sortOptions = false,
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
            "0:cut over (or verified, with --no-cutover)",
            ExitCodes.HELP_FAILED,
            ExitCodes.HELP_USAGE,
            "4:the cutover did not get its lock on any attempt; the migration waits at VERIFIED, run 'migrate"
                    + " cutover' later"
        })
abstract class MigrationRunCommand extends OperationCommand<MigrationStatus> {
    @Mixin
    @SuppressWarnings("NullAway.Init")
    private MigrationSpecOptions migration;

    @Option(
            names = "--progress",
            paramLabel = "<mode>",
            defaultValue = "auto",
            order = 90,
            description = "How progress is shown on stderr: ${COMPLETION-CANDIDATES}. auto draws a bar on a"
                    + " terminal and prints lines otherwise. Default: ${DEFAULT-VALUE}.")
    @SuppressWarnings("NullAway.Init")
    private MigrationProgress.Mode progress;

    /** Whether an unfinished migration must exist (resume) or may exist (start continues it). */
    abstract boolean resume();

    @Override
    Operation<MigrationStatus> operation() {
        return new Operation.Migrate(migration.spec());
    }

    @Override
    int applied(MigrationStatus status) {
        return print(status);
    }

    static boolean active(MigrationStatus status) {
        return status.phase() != MigrationPhase.FINALIZED && status.phase() != MigrationPhase.ABORTED;
    }

    /** Starts or resumes the migration, with the progress display meanwhile. */
    @Override
    MigrationStatus apply(AutoPartition ap, Operation<MigrationStatus> operation) {
        TableName table = migration.table();
        PrintWriter err = err();
        Optional<MigrationStatus> existing = ap.migrationStatus(table).filter(MigrationRunCommand::active);
        if (resume() && existing.isEmpty()) {
            throw new CliException("No migration of " + table + " is in progress to resume. Fix: start one with"
                    + " 'autopartition migrate start'.");
        }
        if (existing.isPresent()) {
            err.println("autopartition: resuming the migration of " + table + " from phase "
                    + existing.get().phase() + " ("
                    + Progress.count(existing.get().rowsCopied())
                    + " rows copied so far)");
        } else {
            ap.plan(operation); // a spec the engine refuses is refused before this says the migration starts
            err.println("autopartition: starting the migration of " + table + " ("
                    + migration.strategy().name().toLowerCase(Locale.ROOT) + ")");
        }
        err.flush();
        MigrationProgress progress = new MigrationProgress(new Poller(table), err, this.progress);
        Thread hook = new Thread(() -> interrupted(progress, err, table), "autopartition-interrupted");
        Runtime.getRuntime().addShutdownHook(hook);
        MigrationStatus status;
        try {
            status = ap.apply(operation);
        } finally {
            progress.close();
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException e) {
                // the JVM is already shutting down (Ctrl-C during the last step): the hook says how to go on
            }
        }
        return status;
    }

    private static void interrupted(MigrationProgress progress, PrintWriter err, TableName table) {
        progress.close();
        MigrationStatus last = progress.last();
        err.println("autopartition: interrupted" + (last == null ? "" : " in phase " + last.phase())
                + ". The migration's progress is recorded: continue it with 'autopartition migrate resume' and the same"
                + " options, or stop it with 'autopartition migrate abort --table " + Reports.argument(table) + "'.");
        err.flush();
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
            return current.migrationStatus(table).filter(MigrationRunCommand::active);
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
