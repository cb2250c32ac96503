package dev.autopartition.liquibase;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.autopartition.AutoPartition;
import dev.autopartition.MigrationPhase;
import dev.autopartition.MigrationStatus;
import dev.autopartition.TableName;
import dev.autopartition.testing.PostgresExtension;
import java.sql.Connection;
import java.sql.Statement;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * migrateToPartitioned beyond the happy path: the refusal of a change set that runs in a transaction, bad attributes,
 * a change set that failed at its cutover and resumes when it runs again, a rollback after finalize, and a migration
 * prepared by one change set and cut over by a later one.
 */
class MigrateToPartitionedIT {
    @RegisterExtension
    static final PostgresExtension pg = new PostgresExtension();

    private static final TableName MESSAGES = TableName.of("chat_messages");

    @BeforeEach
    void workload() {
        pg.execute("DROP SCHEMA public CASCADE", "CREATE SCHEMA public", "DROP SCHEMA IF EXISTS autopartition CASCADE");
        ChatWorkload.load(pg.database(), 0.01);
    }

    private static AutoPartition engine() {
        return AutoPartition.configure(pg.dataSource()).build();
    }

    /** The database without Liquibase's own tables, which the first command creates. */
    private static String ours(Db db) {
        return db.snapshot().replaceAll("public\\.databasechangelog\\w*:\\w\n", "");
    }

    private static MigrationStatus status() {
        return engine().migrationStatus(MESSAGES).orElseThrow();
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"xml", "yaml"})
    void aChangeSetThatRunsInATransactionIsRefusedBeforeAnythingRuns(String format) {
        String changelog = "changelogs/migrate/in-transaction." + format;
        Db db = new Db(pg.database());
        String before = ours(db);

        Throwable failure = catchThrowable(() -> new Lb(pg.database()).update(changelog));

        assertThat(String.valueOf(failure))
                .contains("Validation Failed")
                .contains("migrateToPartitioned in change set " + changelog
                        + "::messages-in-a-transaction::dave: must run outside a transaction, and change set"
                        + " messages-in-a-transaction runs in one")
                .contains("The migration commits many small transactions")
                .contains("Fix: add runInTransaction=\"false\" to change set messages-in-a-transaction (YAML and JSON:"
                        + " runInTransaction: false)");
        assertThat(ours(db)).as("nothing ran").isEqualTo(before);
    }

    static Stream<Arguments> badInput() {
        return Stream.of(
                Arguments.of("chats-without-key-column", new String[] {
                    "attribute foreignKeyKeyColumns: Cannot migrate \"public\".\"chats\" online: foreign key"
                            + " \"chat_messages_chat_id_fkey\" of \"public\".\"chat_messages\" references [id]",
                    "In this change: foreignKeyKeyColumns=\"chat_messages_chat_id_fkey=<column>\""
                }),
                Arguments.of("bad-strategy", new String[] {
                    "attribute strategy='move': Unknown strategy 'move'", "Fix: use copy", "or attach"
                }),
                Arguments.of("bad-key-columns", new String[] {
                    "attribute foreignKeyKeyColumns='chat_messages_chat_id_fkey'",
                    "has no '=' after constraint chat_messages_chat_id_fkey",
                    "Fix: write constraint=column pairs"
                }),
                Arguments.of(
                        "bad-cutover-timeout",
                        new String[] {"attribute cutoverLockTimeout='0': cutoverLockTimeout '0' must be positive"}));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badInput")
    void badAttributesFailValidationWithTheirOwnMessage(String label, String[] fragments) {
        String changelog = "changelogs/migrate/bad.yaml";
        Db db = new Db(pg.database());
        String before = ours(db);

        Throwable failure = catchThrowable(() -> new Lb(pg.database()).update(changelog, label));

        assertThat(String.valueOf(failure))
                .contains("Validation Failed")
                .contains("migrateToPartitioned in change set " + changelog + "::" + label + "::dave")
                .contains(fragments);
        assertThat(ours(db)).as("nothing ran").isEqualTo(before);
    }

    @Test
    void aChangeSetWhoseCutoverDidNotGetItsLockResumesWhenItRunsAgain() throws Exception {
        String changelog = "changelogs/migrate/rerun.yaml";
        Db db = new Db(pg.database());
        Lb lb = new Lb(pg.database()).now("2022-01-31T12:00:00Z");
        long messages = MigrateScenario.count(db, "chat_messages");

        Throwable failure;
        try (Connection reader = pg.connection();
                Statement st = reader.createStatement()) {
            reader.setAutoCommit(false);
            st.executeQuery("SELECT count(*) FROM chat_messages").close(); // holds ACCESS SHARE until the commit
            failure = catchThrowable(() -> lb.update(changelog));
            reader.commit();
        }

        assertThat(String.valueOf(failure))
                .as("the cutover gives up behind the open transaction, and says what happens next")
                .contains("migrateToPartitioned of \"public\".\"chat_messages\" on created_at by 1 day")
                .contains("AccessShareLock")
                .contains("Liquibase did not record change set " + changelog + "::messages-partitioned::erin, so the"
                        + " next update runs it again and it resumes with the cutover");
        assertThat(db.history()).as("the failed change set is not recorded").isEmpty();
        MigrationStatus verified = status();
        assertThat(verified.phase()).isEqualTo(MigrationPhase.VERIFIED);
        assertThat(verified.cutoverAttempts()).isEqualTo(2);
        String started =
                db.rows("SELECT started_at::text FROM autopartition.migration").get(0);
        assertThat(db.partitionKey("chat_messages"))
                .as("the application still uses the original")
                .isEqualTo("none");
        db.execute("INSERT INTO chat_messages (created_at, chat_id, chat_created_at, message) SELECT"
                + " '2022-01-31 12:30+00', id, created_at, 'between the two updates' FROM chats WHERE id = 1");

        assertThat(lb.updateSql(changelog))
                .as("update-sql tells that the next update resumes")
                .contains("-- A migration of \"public\".\"chat_messages\" is under way (\"public\".\"chat_messages\":"
                        + " VERIFIED (COPY)")
                .contains("update resumes it from phase VERIFIED");

        lb.update(changelog);

        MigrationStatus cutOver = status();
        assertThat(cutOver.phase()).isEqualTo(MigrationPhase.CUT_OVER);
        assertThat(db.rows("SELECT count(*) || ' ' || min(started_at)::text FROM autopartition.migration"))
                .as("the second run went on with the migration the first one started")
                .containsExactly("1 " + started);
        assertThat(cutOver.rowsCopied())
                .as("the rows were copied once, by the first run")
                .isEqualTo(verified.rowsCopied());
        assertThat(db.history()).containsOnlyKeys("messages-partitioned");
        assertThat(db.partitionKey("chat_messages")).isEqualTo("RANGE (created_at)");
        assertThat(MigrateScenario.count(db, "chat_messages"))
                .as("with the row written between the updates")
                .isEqualTo(messages + 1);

        // after finalize the original is gone, and the rollback says so
        engine().finalizeMigration(MESSAGES);
        Throwable rollback = catchThrowable(() -> lb.rollbackCount(changelog, 1));
        assertThat(String.valueOf(rollback))
                .contains("migrateToPartitioned in change set " + changelog + "::messages-partitioned::erin cannot be"
                        + " rolled back: the migration of \"public\".\"chat_messages\" was finalized"
                        + " (finalizeMigration), so the original table is gone. Fix:");
        assertThat(db.history()).as("still recorded").containsOnlyKeys("messages-partitioned");
        assertThat(db.partitionKey("chat_messages")).isEqualTo("RANGE (created_at)");
    }

    @Test
    void aMigrationPreparedByOneChangeSetIsCutOverByALaterOneAndRolledBackStepByStep() {
        String changelog = "changelogs/migrate/two-steps.yaml";
        Db db = new Db(pg.database());
        Lb lb = new Lb(pg.database()).now("2022-01-31T12:00:00Z");

        lb.update(changelog);
        assertThat(db.history()).containsOnlyKeys("messages-prepared", "messages-cut-over");
        assertThat(status().phase()).isEqualTo(MigrationPhase.CUT_OVER);

        lb.rollbackCount(changelog, 1);
        assertThat(status().phase())
                .as("back to where the first change set left it: verified, and kept in step")
                .isEqualTo(MigrationPhase.VERIFIED);
        assertThat(db.partitionKey("chat_messages")).isEqualTo("none");
        assertThat(db.exists("public", "chat_messages_autopartition_new")).isTrue();

        lb.rollbackCount(changelog, 1);
        assertThat(status().phase()).isEqualTo(MigrationPhase.ABORTED);
        assertThat(db.relations())
                .as("no helper is left")
                .noneMatch(r -> r.contains("_autopartition_new") || r.contains("_p2022"));
        assertThat(db.history()).isEmpty();
        assertThat(db.partitionKey("chat_messages")).isEqualTo("none");
    }

    @Test
    void aLaterChangeSetFinalizesTheMigrationAfterWhichRollbackIsRefused() {
        String changelog = "changelogs/migrate/finalize.yaml";
        Db db = new Db(pg.database());
        Lb lb = new Lb(pg.database()).now("2022-01-31T12:00:00Z");

        Throwable early = catchThrowable(() -> lb.validate("changelogs/migrate/finalize-in-transaction.yaml"));
        assertThat(early)
                .as("finalize needs its own transactions")
                .hasMessageContaining("messages-finalized")
                .hasMessageContaining("runInTransaction=\"false\"");

        lb.update(changelog);
        assertThat(db.history()).containsOnlyKeys("messages-partitioned", "messages-finalized");
        assertThat(status().phase()).isEqualTo(MigrationPhase.FINALIZED);
        assertThat(db.exists("public", "chat_messages_retired"))
                .as("the original is dropped")
                .isFalse();
        assertThat(db.partitionKey("chat_messages")).isNotEqualTo("none");

        Throwable refused = catchThrowable(() -> lb.rollbackCount(changelog, 1));
        assertThat(refused)
                .as("nothing to swap back once the original is gone")
                .hasMessageContaining("finalizeMigration dropped the original table");
        assertThat(status().phase()).isEqualTo(MigrationPhase.FINALIZED);
    }
}
