package dev.autopartition;

import dev.autopartition.testing.PostgresExtension;
import java.io.File;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.postgresql.ds.PGSimpleDataSource;

/** Runs a migration in its own JVM, so a test can kill the process (SIGKILL) part way through. */
public final class MigrationRunner {
    /** The application name of the runner's sessions, so a test can wait for a killed runner's to end. */
    static final String APPLICATION_NAME = "autopartition-runner";

    private MigrationRunner() {}

    /**
     * Starts a runner in a new JVM on the test's database, its output in {@code target/<log>}.
     *
     * @param extra the optional arguments after the operation (the clock's instant)
     */
    static Process start(
            PostgresExtension pg,
            String table,
            int batchSize,
            int pauseMillis,
            String operation,
            String log,
            String... extra)
            throws IOException {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp",
                System.getProperty("java.class.path"),
                MigrationRunner.class.getName(),
                pg.database().jdbcUrl(),
                pg.database().user(),
                pg.database().password(),
                table,
                Integer.toString(batchSize),
                Integer.toString(pauseMillis),
                operation));
        command.addAll(List.of(extra));
        ProcessBuilder builder = new ProcessBuilder(command);
        builder.redirectErrorStream(true);
        builder.redirectOutput(new File("target/" + log));
        return builder.start();
    }

    /**
     * Arguments: JDBC URL, user, password, table, batch size, pause in ms, and what to do: "cutover" or "stop" (migrate,
     * with or without the cutover), or "undo", "finalize" or "abort" (that operation on the table's migration);
     * optionally the clock's instant (default 2022-01-31T12:00:00Z).
     */
    public static void main(String[] args) {
        PGSimpleDataSource dataSource = new PGSimpleDataSource();
        dataSource.setUrl(args[0]);
        dataSource.setUser(args[1]);
        dataSource.setPassword(args[2]);
        dataSource.setApplicationName(APPLICATION_NAME);
        AutoPartition ap = AutoPartition.configure(dataSource)
                .clock(new Fixtures.MovableClock(args.length > 7 ? args[7] : "2022-01-31T12:00:00Z"))
                .build();
        TableName table = TableName.of(args[3]);
        MigrationStatus status = switch (args[6]) {
            case "undo" -> ap.undoMigration(table);
            case "finalize" -> ap.finalizeMigration(table);
            case "abort" -> ap.abortMigration(table);
            default -> migrate(ap, args);
        };
        System.out.println("runner finished: " + status);
    }

    private static MigrationStatus migrate(AutoPartition ap, String[] args) {
        return ap.migrateToPartitioned(spec(args[3])
                .batchSize(Integer.parseInt(args[4]))
                .pause(Duration.ofMillis(Long.parseLong(args[5])))
                .cutover(args[6].equals("cutover"))
                .cutoverLockTimeout(Duration.ofMillis(100))
                .cutoverAttempts(1000)
                .build());
    }

    static MigrationSpec.Builder spec(String table) {
        return MigrationSpec.builder(AutoPartitionSpec.builder(TableName.of(table), "created_at")
                .increment("1 day")
                .maximumAdvancePartitions(2)
                .build());
    }
}
