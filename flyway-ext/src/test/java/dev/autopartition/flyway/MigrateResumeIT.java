package dev.autopartition.flyway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.autopartition.AutoPartition;
import dev.autopartition.MigrationPhase;
import dev.autopartition.MigrationStatus;
import dev.autopartition.TableName;
import dev.autopartition.testing.ChatWorkload;
import dev.autopartition.testing.PostgresExtension;
import java.sql.Connection;
import java.sql.Statement;
import java.util.Arrays;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;
import org.flywaydb.core.api.MigrationState;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A migration to a partitioned table whose cutover cannot get its lock fails. Under Flyway's transactional lock (the
 * default) nothing is recorded and the next migrate runs it again; without it Flyway records it as failed and {@code
 * flyway repair} comes first. Either way the rerun resumes (nothing is copied again) and cuts over.
 */
class MigrateResumeIT {
    @RegisterExtension
    static final PostgresExtension pg = new PostgresExtension();

    private static final String NOW = "2022-01-31T12:00:00Z";
    private static final String RESUME = "classpath:dev/autopartition/flyway/it/migrate/resume";

    private static Flyway flyway() {
        return Db.flyway(pg, NOW, RESUME).baselineOnMigrate(true).load();
    }

    private static Flyway withoutLock() {
        return Db.withoutTransactionalLock(Db.flyway(pg, NOW, RESUME).baselineOnMigrate(true))
                .load();
    }

    private static MigrationStatus status(String table) {
        return AutoPartition.configure(pg.dataSource())
                .build()
                .migrationStatus(TableName.of(table))
                .orElseThrow();
    }

    /** The state of version 2 in the schema history. */
    private static MigrationState state(Flyway flyway) {
        return Arrays.stream(flyway.info().all())
                .filter(m ->
                        m.getVersion() != null && m.getVersion().getVersion().equals("2"))
                .reduce((first, second) -> second)
                .orElseThrow()
                .getState();
    }

    @Test
    void aFailedCutoverIsResumedByTheNextMigrate() throws Exception {
        ChatWorkload.load(pg, "", 0.01);
        long rows = Long.parseLong(String.valueOf(Db.string(pg, "SELECT count(*) FROM chat_messages")));
        try (Connection reader = pg.connection();
                Statement st = reader.createStatement()) {
            // a long transaction that has read the table: the cutover's ACCESS EXCLUSIVE lock waits for it
            reader.setAutoCommit(false);
            st.execute("SELECT count(*) FROM chat_messages");

            // 1. Flyway's transactional lock on (the default): the failure is rolled back with Flyway's transaction
            assertThatThrownBy(() -> flyway().migrate())
                    .isInstanceOf(FlywayException.class)
                    .satisfies(e -> assertThat(Db.messages(e)).contains("chat_messages"));
            MigrationStatus stopped = status("chat_messages");
            assertThat(stopped.phase()).as("verified, not cut over").isEqualTo(MigrationPhase.VERIFIED);
            assertThat(stopped.rowsCopied()).isEqualTo(rows);
            assertThat(state(flyway()))
                    .as("nothing recorded in the schema history: the next migrate simply runs it again")
                    .isEqualTo(MigrationState.PENDING);

            // 2. transactional lock off: Flyway records the failed non-transactional migration
            assertThatThrownBy(() -> withoutLock().migrate())
                    .as("resumed straight at the cutover, which still cannot get its lock")
                    .isInstanceOf(FlywayException.class);
            assertThat(state(flyway())).as("recorded as failed").isEqualTo(MigrationState.FAILED);
            reader.rollback();
        }
        assertThatThrownBy(() -> withoutLock().migrate())
                .as("migrate refuses until repair")
                .isInstanceOf(FlywayException.class)
                .hasMessageContaining("failed migration to version 2")
                .hasMessageContaining("repair");

        withoutLock().repair();
        assertThat(state(flyway())).as("repair removed the failed entry").isEqualTo(MigrationState.PENDING);
        assertThat(flyway().migrate().migrationsExecuted).isEqualTo(1);
        MigrationStatus done = status("chat_messages");
        assertThat(done.phase()).isEqualTo(MigrationPhase.CUT_OVER);
        assertThat(done.rowsCopied()).as("resumed: nothing copied twice").isEqualTo(rows);
        assertThat(done.cutoverLockMillis()).isNotNull();
        assertThat(Db.relkind(pg, "chat_messages")).isEqualTo("p");
        assertThat(ChatWorkload.differences(pg, "chat_messages", "oracle")).isZero();
        assertThat(state(flyway())).isEqualTo(MigrationState.SUCCESS);
        assertThat(flyway().validateWithResult().validationSuccessful).isTrue();
    }
}
