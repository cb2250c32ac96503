package dev.autopartition.internal.migrate;

import static org.assertj.core.api.Assertions.assertThat;

import dev.autopartition.AutoPartitionSpec;
import dev.autopartition.MigrationSpec;
import dev.autopartition.MigrationStrategy;
import dev.autopartition.PlannedStatement;
import dev.autopartition.PlannedStep;
import dev.autopartition.TableName;
import dev.autopartition.internal.catalog.ColumnInfo;
import dev.autopartition.internal.catalog.EngineCatalog;
import dev.autopartition.internal.sql.KeyType;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The planner's whole script for COPY and ATTACH, for a table with what a migration must carry over (a primary key
 * without the partition key, an index, an outbound and an inbound foreign key, a view, a trigger, a serial column),
 * compared with golden files, without a database. {@code -Dgolden.update=true} rewrites the files after a deliberate
 * change; the diff is then the review.
 */
class MigrationScriptGoldenTest {
    private static final TableName TABLE = TableName.of("public", "chat_messages");

    static SourceTable source() {
        return new SourceTable(
                16384,
                TABLE,
                List.of(
                        new ColumnInfo("id", 1, "int8", "bigint", true, false),
                        new ColumnInfo("chat_id", 2, "int8", "bigint", true, false),
                        new ColumnInfo("created_at", 3, "timestamptz", "timestamp with time zone", true, false),
                        new ColumnInfo("body", 4, "text", "text", false, false)),
                "created_at",
                KeyType.TIMESTAMPTZ,
                "chat_messages_pkey",
                List.of("id"),
                List.of("bigint"),
                List.of(new SourceTable.Unique(
                        "chat_messages_pkey", List.of("id"), true, "PRIMARY KEY (id)", 224_591_872L)),
                List.of(new SourceTable.Named(
                        "chat_messages_chat_id_fkey", "FOREIGN KEY (chat_id) REFERENCES chats(id)")),
                List.of(new SourceTable.InboundForeignKey(
                        "reactions_message_fkey",
                        TableName.of("public", "reactions"),
                        List.of("message_id"),
                        List.of("id"),
                        "ON DELETE CASCADE")),
                List.of(new SourceTable.Index("chat_messages_chat_idx", false, "USING btree (chat_id, created_at)")),
                List.of(new SourceTable.Named(
                        "touch",
                        "CREATE TRIGGER touch BEFORE UPDATE ON public.chat_messages FOR EACH ROW EXECUTE FUNCTION"
                                + " touch()")),
                List.of(new SourceTable.Named("\"public\".\"recent_messages\"", "SELECT id, body FROM chat_messages")),
                List.of(),
                false,
                false,
                List.of("GRANT SELECT ON {table} TO \"reader\""),
                "app",
                "app",
                null,
                List.of(new SourceTable.Named("\"public\".\"chat_messages_id_seq\"", "id")),
                List.of(),
                1_000_000,
                true);
    }

    static PlanInput input(MigrationStrategy strategy, int serverMajor) {
        AutoPartitionSpec rule = AutoPartitionSpec.builder(TABLE, "created_at")
                .increment("1 month")
                .build();
        MigrationSpec spec = MigrationSpec.builder(rule)
                .strategy(strategy)
                .foreignKeyKeyColumn("reactions_message_fkey", "message_created_at")
                .build();
        long cut = KeyType.TIMESTAMPTZ.fromInstant(Instant.parse("2022-03-01T00:00:00Z"), rule.timeZone());
        return new PlanInput(
                source(),
                spec,
                serverMajor,
                new MigrationStore(new EngineCatalog("autopartition")),
                7,
                MigrationSql.newName(TABLE),
                MigrationSql.retiredName(TABLE),
                cut);
    }

    /** Every stage, each statement with its typed lock, the object and how it runs. */
    static String render(MigrationScript script) {
        StringBuilder out = new StringBuilder();
        for (Stage stage : Stage.values()) {
            List<ScriptStatement> statements = script.statements(stage);
            if (statements.isEmpty()) {
                continue;
            }
            out.append("-- stage ").append(stage.kind()).append('\n');
            for (ScriptStatement s : statements) {
                out.append("-- ")
                        .append(s.lockMode().name())
                        .append(" on ")
                        .append(s.lockedObject())
                        .append(", ")
                        .append(s.execution().name());
                if (s.creates() != null) {
                    out.append(", creates ").append(s.creates());
                }
                out.append('\n').append(s.sql()).append(";\n");
            }
        }
        return out.toString();
    }

    @Test
    void copyScript() throws IOException {
        matchesGolden("migration-copy.sql", render(MigrationPlanner.script(input(MigrationStrategy.COPY, 17))));
    }

    @Test
    void attachScript() throws IOException {
        matchesGolden("migration-attach.sql", render(MigrationPlanner.script(input(MigrationStrategy.ATTACH, 17))));
    }

    @Test
    void theDryRunRendersTheScript() {
        PlanInput in = input(MigrationStrategy.COPY, 17);
        MigrationScript script = MigrationPlanner.script(in);
        TargetPartition january = new TargetPartition(
                "chat_messages_p20220101",
                KeyType.TIMESTAMPTZ.fromInstant(
                        Instant.parse("2022-01-01T00:00:00Z"),
                        in.spec().partitioning().timeZone()),
                in.cut(),
                "planned",
                null,
                0);
        List<PlannedStep> steps =
                MigrationPlanner.render(in, List.of(january), "gap").steps();
        List<String> cutover =
                steps.get(3).statements().stream().map(PlannedStatement::sql).toList();
        assertThat(cutover)
                .as("the cutover step: its locks, then the script's cutover stage")
                .containsSubsequence(script.statements(Stage.CUTOVER).stream()
                        .map(ScriptStatement::sql)
                        .toList());
        assertThat(steps.get(0).statements())
                .as("the prepare step is the script's prepare stage")
                .isEqualTo(MigrationPlanner.planned(script.statements(Stage.PREPARE)));
        assertThat(steps.get(4).statements())
                .as("after the cutover")
                .isEqualTo(MigrationPlanner.planned(script.statements(Stage.AFTER_CUTOVER)));
    }

    @Test
    void theStoredFormKeepsEveryField() {
        ScriptStatement index = MigrationPlanner.script(input(MigrationStrategy.ATTACH, 17))
                .statements(Stage.PROVE)
                .get(1);
        assertThat(ScriptJson.write(index))
                .startsWith("{\"sql\": \"CREATE UNIQUE INDEX CONCURRENTLY ")
                .contains("\"lockMode\": \"SHARE_UPDATE_EXCLUSIVE\"")
                .contains("\"execution\": \"CONCURRENTLY_AFTER_OLDER_TRANSACTIONS\"")
                .contains("\"creates\": \"\\\"public\\\".\\\"chat_messages_pkey_apwide\\\"\"");
    }

    private static void matchesGolden(String name, String actual) throws IOException {
        if (Boolean.getBoolean("golden.update")) {
            Files.writeString(Path.of("src/test/resources/golden", name), actual, StandardCharsets.UTF_8);
            return;
        }
        String expected;
        try (InputStream in = MigrationScriptGoldenTest.class.getResourceAsStream("/golden/" + name)) {
            assertThat(in).as("golden file " + name).isNotNull();
            expected = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        assertThat(actual).as(name).isEqualTo(expected);
    }
}
