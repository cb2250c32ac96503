package dev.autopartition.samples.flyway;

import dev.autopartition.flyway.AutoPartitionCallback;
import dev.autopartition.flyway.FlywaySettings;
import dev.autopartition.samples.common.ChatSample;
import dev.autopartition.samples.common.ChatWorkload;
import dev.autopartition.samples.common.SampleDatabase;
import java.io.PrintStream;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
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
     * The scenario of {@link ChatSample#run}: the plain tables with the reference data, a writer, {@code flyway
     * migrate}, and what a person wants to see afterwards.
     */
    public static ChatSample.Result run(SampleDatabase database, PrintStream out, double scale) throws Exception {
        return ChatSample.run(
                database,
                out,
                scale,
                "the chat application migrated to daily partitions by Flyway (Java migrations)",
                COMMAND,
                new ChatSample.Migration() {
                    @Override
                    public void update(SampleDatabase db) {
                        migrate(db);
                    }

                    @Override
                    public void reset(DataSource dataSource) throws SQLException {
                        dropFlywayHistory(dataSource);
                    }

                    @Override
                    public List<String> history(DataSource dataSource) throws SQLException {
                        return FlywaySample.history(dataSource);
                    }

                    @Override
                    public String units() {
                        return "migrations";
                    }

                    @Override
                    public String undo() {
                        return "the core's undoMigration";
                    }
                });
    }

    /** Flyway's history of an earlier run (ChatWorkload drops the tables, so the migrations must run again). */
    private static void dropFlywayHistory(DataSource dataSource) throws SQLException {
        try (Connection c = dataSource.getConnection();
                Statement st = c.createStatement()) {
            st.execute("DROP TABLE IF EXISTS flyway_schema_history");
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
