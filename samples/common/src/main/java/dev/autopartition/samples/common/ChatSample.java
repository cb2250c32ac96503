package dev.autopartition.samples.common;

import dev.autopartition.AutoPartition;
import dev.autopartition.MigrationStatus;
import dev.autopartition.Plan;
import dev.autopartition.PlannedStep;
import dev.autopartition.TableName;
import java.io.PrintStream;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import javax.sql.DataSource;

/**
 * The scenario every Liquibase sample runs around its own {@code liquibase update}:
 *
 * <ol>
 *   <li>the plain {@code chats} and {@code chat_messages} tables of the reference workload, with its data;
 *   <li>a writer that keeps inserting messages, from before the update until after it;
 *   <li>the sample's migration (its changelog migrates both tables to daily partitions and runs maintenance);
 *   <li>what a person wants to see afterwards: the partitions of each table with their bounds and row counts, whether
 *       every message the writer committed is there, how long each cutover held its lock, and what maintenance will do
 *       next.
 * </ol>
 */
public final class ChatSample {
    /**
     * The scale the samples load by default: the reference data itself, 720 chats and 1,037,520 messages, whose daily
     * counts are those of the workload's notes. On two cores with the embedded PostgreSQL the sample takes about 15 s
     * (the migration about 6 s of it), and {@code -Dscale=2} about 30 s.
     */
    public static final double DEFAULT_SCALE = 1;

    /** The tables the samples migrate, in the order their change sets run. */
    public static final List<String> TABLES = List.of("chats", "chat_messages");

    /** How many days after {@link ChatWorkload#NOW} the sample asks maintenance what it would do. */
    static final int DAYS_AHEAD = 3;

    private ChatSample() {}

    /** A sample's migration: its {@code liquibase update} (or {@code flyway migrate}) on the database. */
    @FunctionalInterface
    public interface Migration {
        void update(SampleDatabase database) throws Exception;

        /** Clears what the tool kept from an earlier run, before the tables are loaded again. */
        default void reset(DataSource dataSource) throws SQLException {}

        /** The tool's record of what ran, one line each (Liquibase's databasechangelog by default). */
        default List<String> history(DataSource dataSource) throws SQLException {
            return liquibaseHistory(dataSource);
        }

        /** What the tool's history calls the units it ran. */
        default String units() {
            return "change sets";
        }

        /** How the tool undoes the migration. */
        default String undo() {
            return "liquibase rollback-count";
        }
    }

    /**
     * What the sample printed, for its test.
     *
     * @param partitions each table's partitions as printed
     * @param written the messages the writer committed during the migration
     * @param missing those of them that are not in {@code chat_messages}
     * @param status each table's migration status
     */
    public record Result(
            Map<String, List<Partitions.Row>> partitions,
            List<MessageWriter.Message> written,
            List<MessageWriter.Message> missing,
            Map<String, MigrationStatus> status) {}

    /**
     * Runs a sample from its main method: on the database from {@link SampleDatabase#open}, at {@code -Dscale} (default
     * {@value #DEFAULT_SCALE}), printing to standard output.
     *
     * @throws IllegalStateException when a message the writer committed is missing afterwards
     */
    public static void main(String title, String command, Migration migration) throws Exception {
        double scale = Double.parseDouble(System.getProperty("scale", String.valueOf(DEFAULT_SCALE)));
        Result result;
        try (SampleDatabase database = SampleDatabase.open("chat_sample")) {
            result = run(database, System.out, scale, title, command, migration);
        }
        if (!result.missing().isEmpty()) {
            throw new IllegalStateException(result.missing().size() + " messages written during the migration are"
                    + " missing: " + result.missing());
        }
    }

    /** Runs the scenario on a database and prints it. */
    public static Result run(
            SampleDatabase database, PrintStream out, double scale, String title, String command, Migration migration)
            throws Exception {
        DataSource dataSource = database.dataSource();
        out.printf(Locale.ROOT, "autopartition sample: %s%n", title);
        out.printf(Locale.ROOT, "on %s, with the clock fixed at %s%n%n", database.description(), ChatWorkload.NOW);

        migration.reset(dataSource);
        ChatWorkload.Loaded loaded = ChatWorkload.load(dataSource, scale);
        out.printf(
                Locale.ROOT,
                "1. plain tables chats and chat_messages at scale %s: %,d chats and %,d messages (loaded in %.1f s)%n",
                java.math.BigDecimal.valueOf(scale).stripTrailingZeros().toPlainString(),
                loaded.chats(),
                loaded.messages(),
                loaded.seconds());

        MessageWriter writer = new MessageWriter(dataSource, loaded.chats()).start();
        out.printf(Locale.ROOT, "2. a writer keeps inserting messages dated %s to an hour later%n", ChatWorkload.NOW);
        Thread.sleep(200);
        long started = System.nanoTime();
        List<MessageWriter.Message> written;
        double seconds;
        try {
            migration.update(database);
            seconds = (System.nanoTime() - started) / 1e9;
        } finally {
            Thread.sleep(200); // a few writes after the cutover, into the partitioned tables
            written = writer.stop();
        }
        out.printf(Locale.ROOT, "3. %s: done in %.1f s; %s:%n", command, seconds, migration.units());
        for (String line : migration.history(dataSource)) {
            out.println("     " + line);
        }
        List<MessageWriter.Message> missing = MessageWriter.missing(dataSource, written);
        out.printf(
                Locale.ROOT,
                "4. the writer committed %,d messages meanwhile (%d inserts failed; the slowest took %.0f ms): %s%n",
                written.size(),
                writer.failed(),
                writer.slowestMillis(),
                missing.isEmpty()
                        ? "all of them are in chat_messages"
                        : missing.size() + " of them are MISSING from chat_messages: " + missing);
        if (writer.lastError() != null) {
            out.println("   the last failed insert: " + writer.lastError());
        }

        Map<String, List<Partitions.Row>> partitions = new LinkedHashMap<>();
        for (String table : TABLES) {
            List<Partitions.Row> rows = Partitions.of(dataSource, table);
            partitions.put(table, rows);
            out.println();
            Partitions.print(out, table, rows);
        }

        AutoPartition engine = AutoPartition.configure(dataSource)
                .clock(Clock.fixed(ChatWorkload.NOW, ZoneOffset.UTC))
                .build();
        Map<String, MigrationStatus> status = new LinkedHashMap<>();
        out.println();
        for (String table : TABLES) {
            MigrationStatus s = engine.migrationStatus(TableName.of(table))
                    .orElseThrow(() -> new IllegalStateException("no migration of " + table + " is recorded"));
            status.put(table, s);
            Double lock = s.cutoverLockMillis();
            out.printf(
                    Locale.ROOT,
                    "cutover of %-14s %s; %,d rows copied, %,d changes replayed%n",
                    table + ":",
                    lock == null
                            ? "not done (" + s.phase() + ")"
                            : String.format(Locale.ROOT, "held its lock %.1f ms", lock)
                                    + (s.cutoverAttempts() == 0
                                            ? " at the first attempt"
                                            : " after " + s.cutoverAttempts() + " attempts that gave up"),
                    s.rowsCopied(),
                    s.rowsReplayed());
        }
        out.println("foreign key chat_messages_chat_id_fkey: " + foreignKey(dataSource));
        out.println("the originals stay as chats_retired and chat_messages_retired, kept in step for an undo" + " ("
                + migration.undo() + "), until finalizeMigration drops them");

        out.println();
        Plan now = engine.plan();
        out.printf(
                Locale.ROOT,
                "next maintenance run (%s): %s%n",
                ChatWorkload.NOW,
                now.isEmpty() ? "nothing to do" : "would");
        printSteps(out, now);
        Instant later = ChatWorkload.NOW.plus(Duration.ofDays(DAYS_AHEAD));
        Plan ahead = AutoPartition.configure(dataSource)
                .clock(Clock.fixed(later, ZoneOffset.UTC))
                .build()
                .plan();
        out.printf(
                Locale.ROOT,
                "%d days later (%s) it would%s%n",
                DAYS_AHEAD,
                later,
                ahead.isEmpty() ? " have nothing to do" : ":");
        printSteps(out, ahead);
        return new Result(partitions, written, missing, status);
    }

    private static void printSteps(PrintStream out, Plan plan) {
        for (PlannedStep step : plan.steps()) {
            out.println("  " + step.action().replace("\"public\".", "").replace("\"", ""));
        }
    }

    /** The definition of the foreign key from chat_messages to chats. */
    static String foreignKey(DataSource dataSource) throws SQLException {
        try (Connection c = dataSource.getConnection();
                Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("SELECT pg_get_constraintdef(oid) FROM pg_constraint"
                        + " WHERE conname = 'chat_messages_chat_id_fkey' AND conrelid = 'chat_messages'::regclass")) {
            return rs.next() ? rs.getString(1) : "none";
        }
    }

    /** Liquibase's history: id, exec type and description of each change set, in the order they ran. */
    static List<String> liquibaseHistory(DataSource dataSource) throws SQLException {
        List<String> lines = new ArrayList<>();
        try (Connection c = dataSource.getConnection();
                Statement st = c.createStatement();
                ResultSet rs = st.executeQuery(
                        "SELECT id, exectype, description FROM databasechangelog ORDER BY orderexecuted")) {
            while (rs.next()) {
                lines.add(
                        String.format(Locale.ROOT, "%-26s %-9s %s", rs.getString(1), rs.getString(2), rs.getString(3)));
            }
        }
        return lines;
    }
}
