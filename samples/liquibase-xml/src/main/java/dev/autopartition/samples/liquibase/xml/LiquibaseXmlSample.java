package dev.autopartition.samples.liquibase.xml;

import dev.autopartition.samples.common.ChatSample;
import dev.autopartition.samples.common.ChatWorkload;
import dev.autopartition.samples.common.SampleDatabase;
import java.util.HashMap;
import java.util.Map;
import java.util.logging.Level;
import java.util.logging.Logger;
import liquibase.Scope;
import liquibase.command.CommandScope;
import liquibase.ui.LoggerUIService;

/**
 * The chat application's plain {@code chats} and {@code chat_messages} tables migrated online to daily partitions by
 * the Liquibase changelog {@value #CHANGELOG} (XML), while a writer keeps inserting messages.
 *
 * <pre>
 * ./mvnw -q -Pdemo -DskipTests verify                 # from the repository root: this sample is the main demo
 * ./mvnw -q -Pdemo -DskipTests verify -Dscale=1       # the full reference data (1,037,520 messages)
 * ./mvnw -q -Pdemo -DskipTests verify -Dautopartition.demo.url=jdbc:postgresql://localhost/chat \
 *        -Dautopartition.demo.user=me -Dautopartition.demo.password=secret
 * </pre>
 *
 * <p>Against an existing server the sample drops and re-creates {@code chats}, {@code chat_messages}, the originals a
 * migration keeps ({@code *_retired}), Liquibase's history tables and the schema {@code autopartition}.
 */
public final class LiquibaseXmlSample {
    /** The changelog, on the class path (src/main/resources). */
    public static final String CHANGELOG = "db/changelog/chat.xml";

    /** Liquibase logs through java.util.logging; the sample shows its warnings only (the reference keeps the level). */
    private static final Logger LIQUIBASE_LOG = Logger.getLogger("liquibase");

    private LiquibaseXmlSample() {}

    public static void main(String[] args) throws Exception {
        ChatSample.main(
                "the chat application migrated to daily partitions by Liquibase (XML changelog)",
                "liquibase update " + CHANGELOG,
                LiquibaseXmlSample::update);
    }

    /** {@code liquibase update}, through Liquibase's command API as the CLI and the Maven plugin run it. */
    public static void update(SampleDatabase database) throws Exception {
        LIQUIBASE_LOG.setLevel(Level.WARNING);
        Map<String, Object> configuration = new HashMap<>();
        // the engine's clock: the workload's data ends on 2022-01-31
        configuration.put("liquibase.autopartition.now", ChatWorkload.NOW.toString());
        configuration.put("liquibase.analytics.enabled", false);
        // Liquibase's own messages go to its log, which shows warnings only
        configuration.put(Scope.Attr.ui.name(), new LoggerUIService());
        Scope.child(
                configuration,
                () -> new CommandScope("update")
                        .addArgumentValue("url", database.url())
                        .addArgumentValue("username", database.user())
                        .addArgumentValue("password", database.password())
                        .addArgumentValue("changelogFile", CHANGELOG)
                        .addArgumentValue("showSummaryOutput", "log")
                        .execute());
    }
}
