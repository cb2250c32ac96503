package dev.autopartition.liquibase;

import dev.autopartition.AutoPartition;
import java.sql.Connection;
import java.time.Instant;
import liquibase.Scope;
import liquibase.database.Database;
import liquibase.executor.Executor;
import liquibase.executor.ExecutorService;
import liquibase.executor.LoggingExecutor;
import liquibase.statement.SqlStatement;
import org.jspecify.annotations.Nullable;

/**
 * What {@code update-sql} prints for a change: a header, then the engine's plan of the change's operation (planned in
 * a {@link DryRun}), or comments saying why it cannot be planned before the change runs.
 */
final class Preview {
    private Preview() {}

    /** Whether statements are printed rather than run ({@code update-sql}, {@code rollback-sql}). */
    static boolean outputOnly(Database database) {
        Executor executor =
                Scope.getCurrentScope().getSingleton(ExecutorService.class).getExecutor("jdbc", database);
        return executor instanceof LoggingExecutor;
    }

    /**
     * The text for a change.
     *
     * @param deferral what validation found about earlier change sets ({@code ""}: nothing earlier touches the
     *     tables), or null when validation did not run
     */
    static String of(AbstractPartitionChange change, Database database, @Nullable String deferral) {
        String header = "-- autopartition: " + change.describe(database) + "\n";
        Connection connection = AbstractPartitionChange.jdbc(database);
        if (connection == null) {
            return header
                    + comment("No live database connection: the engine plans from the catalog, so the DDL is decided"
                            + " when the change runs. It will " + change.willDo(database) + ".");
        }
        String by = deferral != null ? (deferral.isEmpty() ? null : deferral) : change.deferredBy(database);
        if (by != null) {
            return header
                    + comment("Not planned here: " + by + " comes earlier in this update and has not run yet, so"
                            + " the table it creates or changes cannot be inspected now. When this change runs, it will "
                            + change.willDo(database) + ".");
        }
        Instant now = Tuning.fixedNow();
        String clock = now == null
                ? comment("Planned from the catalog as it is now; what runs is decided when the change runs.")
                : comment("Planned with the clock fixed at " + now + " (liquibase.autopartition.now).");
        try {
            return header
                    + clock
                    + DryRun.run(connection, c -> change.preview(change.tuning().engine(c), database));
        } catch (RuntimeException e) {
            return header + comment("Cannot be planned now: " + e.getMessage());
        }
    }

    /** Work with an engine on Liquibase's connection. */
    @FunctionalInterface
    interface EngineWork {
        String run(AutoPartition engine, Connection connection);
    }

    /**
     * The statements of a rollback whose work is decided when it runs: {@code rollback-sql} prints what {@code
     * preview} finds in a dry run (or {@code offline} without a connection); {@code rollback} runs {@code run}.
     */
    static SqlStatement[] rollback(
            AbstractPartitionChange change,
            Database database,
            String what,
            String offline,
            EngineWork preview,
            EngineWork run) {
        if (outputOnly(database)) {
            Connection connection = AbstractPartitionChange.jdbc(database);
            String text = connection == null
                    ? offline
                    : DryRun.run(connection, c -> preview.run(change.tuning().engine(c), c));
            return new SqlStatement[] {new PreviewStatement("-- autopartition: " + what + "\n" + text)};
        }
        return new SqlStatement[] {
            new EngineStatement(
                    what, database, true, c -> run.run(change.tuning().engine(c), c))
        };
    }

    /** Text as SQL line comments, wrapped at about 110 characters. */
    static String comment(String text) {
        StringBuilder out = new StringBuilder();
        for (String paragraph : text.split("\n", -1)) {
            StringBuilder line = new StringBuilder("--");
            for (String word : paragraph.split(" ")) {
                if (line.length() > 2 && line.length() + 1 + word.length() > 110) {
                    out.append(line).append('\n');
                    line = new StringBuilder("--");
                }
                line.append(' ').append(word);
            }
            out.append(line).append('\n');
        }
        return out.toString();
    }
}
