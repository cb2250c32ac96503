package dev.autopartition.samples.flyway;

import dev.autopartition.AutoPartition;
import dev.autopartition.MigrationStatus;
import dev.autopartition.Plan;
import dev.autopartition.PlannedStep;
import dev.autopartition.TableName;
import dev.autopartition.flyway.AutoPartitionCallback;
import dev.autopartition.flyway.FlywaySettings;
import dev.autopartition.samples.common.ChatSample;
import dev.autopartition.samples.common.ChatWorkload;
import dev.autopartition.samples.common.MessageWriter;
import dev.autopartition.samples.common.Partitions;
import dev.autopartition.samples.common.SampleDatabase;
import java.io.PrintStream;
import java.math.BigDecimal;
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
import org.flywaydb.core.Flyway;

/**
 * The chat application's plain {@code chats} and {@code chat_messages} tables migrated online to daily partitions by
 * the Flyway Java migrations in {@value #LOCATION} ({@code V1__partition_chats}, {@code V2__partition_chat_messages}),
 * with {@link AutoPartitionCallback} running maintenance after {@code migrate}, while a writer keeps inserting
 * messages.
 *
 * <pre>
 * ./mvnw -q -Pdemo-flyway -DskipTests verify -pl samples/flyway -am            # from the repository root
 * ./mvnw -q -Pdemo-flyway -DskipTests verify -pl samples/flyway -am -Dscale=1  # the full reference data
 * ./mvnw -q -Pdemo-flyway -DskipTests verify -pl samples/flyway -am \
 *        -Dautopartition.demo.url=jdbc:postgresql://localhost/chat \
 *        -Dautopartition.demo.user=me -Dautopartition.demo.password=secret
 * </pre>
 *
 * <p>Against an existing server the sample drops and re-creates {@code chats}, {@code chat_messages}, the originals a
 * migration keeps ({@code *_retired}), Flyway's {@code flyway_schema_history} and the schema {@code autopartition}.
 *
 * <p>It runs the scenario of the Liquibase samples ({@link ChatSample}) with Flyway's history in place of Liquibase's.
 */
public final class FlywaySample {
    /** Where Flyway finds the migrations: Java migrations are only found in {@code classpath:} locations. */
    public static final String LOCATION = "classpath:db/migration";

    /** What the output calls the migration. */
    public static final String COMMAND = "flyway migrate " + LOCATION;

    private FlywaySample() {}

    public static void main(String[] args) throws Exception {
        double scale = Double.parseDouble(System.getProperty("scale", String.valueOf(ChatSample.DEFAULT_SCALE)));
        ChatSample.Result result;
        try (SampleDatabase database = SampleDatabase.open("chat_sample")) {
            result = run(database, System.out, scale);
        }
        if (!result.missing().isEmpty()) {
            throw new IllegalStateException(result.missing().size() + " messages written during the migration are"
                    + " missing: " + result.missing());
        }
    }

    /** {@code flyway migrate}, through Flyway's API, with the clock of the workload. */
    public static void migrate(SampleDatabase database) {
        // the engine's clock: the workload's data ends on 2022-01-31; the migrations read it from the placeholder
        // (as flyway.placeholders.autopartition.now would set it), the callback is given it directly
        Flyway.configure()
                .dataSource(database.url(), database.user(), database.password())
                .locations(LOCATION)
                // the tables exist before Flyway does (as in an application adopting it): record them as version 0,
                // so that V1 and V2 run
                .baselineOnMigrate(true)
                .baselineVersion("0")
                .placeholders(Map.of(FlywaySettings.PLACEHOLDER_PREFIX + "now", ChatWorkload.NOW.toString()))
                .callbacks(new AutoPartitionCallback(FlywaySettings.defaults().withNow(ChatWorkload.NOW)))
                .load()
                .migrate();
    }

    /**
     * The scenario: the plain tables with the reference data, a writer, {@code flyway migrate}, and what a person wants
     * to see afterwards (the partitions with their bounds and row counts, whether every message the writer committed
     * is there, how long each cutover held its lock, and what maintenance will do next).
     */
    public static ChatSample.Result run(SampleDatabase database, PrintStream out, double scale) throws Exception {
        DataSource dataSource = database.dataSource();
        out.printf(
                Locale.ROOT,
                "autopartition sample: %s%n",
                "the chat application migrated to daily partitions by Flyway (Java migrations)");
        out.printf(Locale.ROOT, "on %s, with the clock fixed at %s%n%n", database.description(), ChatWorkload.NOW);

        dropFlywayHistory(dataSource);
        ChatWorkload.Loaded loaded = ChatWorkload.load(dataSource, scale);
        out.printf(
                Locale.ROOT,
                "1. plain tables chats and chat_messages at scale %s: %,d chats and %,d messages (loaded in %.1f s)%n",
                BigDecimal.valueOf(scale).stripTrailingZeros().toPlainString(),
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
            migrate(database);
            seconds = (System.nanoTime() - started) / 1e9;
        } finally {
            Thread.sleep(200); // a few writes after the cutover, into the partitioned tables
            written = writer.stop();
        }
        out.printf(Locale.ROOT, "3. %s: done in %.1f s; migrations:%n", COMMAND, seconds);
        for (String line : history(dataSource)) {
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
        String lastError = writer.lastError();
        if (lastError != null) {
            out.println("   the last failed insert: " + lastError);
        }

        Map<String, List<Partitions.Row>> partitions = new LinkedHashMap<>();
        for (String table : ChatSample.TABLES) {
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
        for (String table : ChatSample.TABLES) {
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
        out.println("the originals stay as chats_retired and chat_messages_retired, kept in step for an undo"
                + " (the core's undoMigration), until finalizeMigration drops them");

        out.println();
        Plan now = engine.plan();
        out.printf(
                Locale.ROOT,
                "next maintenance run (%s): %s%n",
                ChatWorkload.NOW,
                now.isEmpty() ? "nothing to do" : "would");
        printSteps(out, now);
        int daysAhead = 3;
        Instant later = ChatWorkload.NOW.plus(Duration.ofDays(daysAhead));
        Plan ahead = AutoPartition.configure(dataSource)
                .clock(Clock.fixed(later, ZoneOffset.UTC))
                .build()
                .plan();
        out.printf(
                Locale.ROOT,
                "%d days later (%s) it would%s%n",
                daysAhead,
                later,
                ahead.isEmpty() ? " have nothing to do" : ":");
        printSteps(out, ahead);
        return new ChatSample.Result(partitions, written, missing, status);
    }

    private static void printSteps(PrintStream out, Plan plan) {
        for (PlannedStep step : plan.steps()) {
            out.println("  " + step.action().replace("\"public\".", "").replace("\"", ""));
        }
    }

    /** Flyway's history of an earlier run (ChatWorkload drops the tables, so the migrations must run again). */
    private static void dropFlywayHistory(DataSource dataSource) throws SQLException {
        try (Connection c = dataSource.getConnection();
                Statement st = c.createStatement()) {
            st.execute("DROP TABLE IF EXISTS flyway_schema_history");
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

    /** Flyway's history: version, description, type and outcome of each migration, in the order they ran. */
    static List<String> history(DataSource dataSource) throws SQLException {
        List<String> lines = new ArrayList<>();
        try (Connection c = dataSource.getConnection();
                Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("SELECT version, description, type, success FROM flyway_schema_history"
                        + " ORDER BY installed_rank")) {
            while (rs.next()) {
                lines.add(String.format(
                        Locale.ROOT,
                        "%-4s %-26s %-8s %s",
                        "V" + rs.getString(1),
                        rs.getString(2),
                        rs.getString(3),
                        rs.getBoolean(4) ? "Success" : "Failed"));
            }
        }
        return lines;
    }
}
