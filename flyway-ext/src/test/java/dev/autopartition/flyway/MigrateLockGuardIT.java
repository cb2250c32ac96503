package dev.autopartition.flyway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.autopartition.testing.PostgresExtension;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Under Flyway's transactional lock (the default) the COPY strategy works (see MigrateToPartitionedIT), but the ATTACH
 * strategy of a table with a primary key builds indexes with CREATE INDEX CONCURRENTLY, which waits for Flyway's own
 * open transaction: the migration fails at once, before changing anything, naming the fix.
 */
class MigrateLockGuardIT {
    @RegisterExtension
    static final PostgresExtension pg = new PostgresExtension();

    private static final String NOW = "2022-01-31T12:00:00Z";
    private static final String ATTACH = "classpath:dev/autopartition/flyway/it/migrate/attach";

    @Test
    void theAttachStrategyFailsFastUnderFlywaysTransactionalLockAndWorksWithoutIt() {
        Flyway guarded = Db.flyway(pg, NOW, ATTACH).load();
        long start = System.nanoTime();
        assertThatThrownBy(guarded::migrate)
                .isInstanceOf(FlywayException.class)
                .satisfies(e -> assertThat(Db.messages(e))
                        .contains("Migration dev.autopartition.flyway.it.migrate.attach.V2__attach_events must run")
                        .contains("CREATE UNIQUE INDEX CONCURRENTLY")
                        .contains("Fix: set flyway.postgresql.transactional.lock=false")
                        .contains("or use the COPY strategy"));
        assertThat((System.nanoTime() - start) / 1_000_000)
                .as("at once, not after lock timeouts")
                .isLessThan(5_000);
        assertThat(Db.string(pg, "SELECT relkind::text FROM pg_class WHERE oid = to_regclass('events')"))
                .as("nothing changed")
                .isEqualTo("r");
        guarded.repair();

        Flyway fixed = Db.withoutTransactionalLock(Db.flyway(pg, NOW, ATTACH)).load();
        assertThat(fixed.migrate().migrationsExecuted).isEqualTo(1);
        assertThat(Db.string(pg, "SELECT relkind::text FROM pg_class WHERE oid = to_regclass('events')"))
                .isEqualTo("p");
        assertThat(Db.string(pg, "SELECT count(*) FROM events")).isEqualTo("720");
    }
}
