package dev.autopartition.flyway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.autopartition.testing.PostgresExtension;
import java.util.List;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;
import org.flywaydb.core.api.configuration.FluentConfiguration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Flyway's PostgreSQL transactional lock (the default) keeps a transaction open while it migrates. A step that waits
 * for older transactions (finishing an interrupted concurrent detach) cannot finish then: the migration fails at once
 * with a message naming flyway.postgresql.transactional.lock=false, and nothing changes.
 */
class TransactionalLockIT {
    @RegisterExtension
    static final PostgresExtension pg = new PostgresExtension();

    private static final String BASE = "classpath:dev/autopartition/flyway/it/lock/base";
    private static final String RAW = "classpath:dev/autopartition/flyway/it/lock/raw";
    private static final String MAINTAIN = "classpath:dev/autopartition/flyway/it/lock/maintain";
    private static final String LATER = "2022-01-14T15:00:00Z";

    @Test
    void failsFastWhereFlywaysTransactionalLockWouldBlockAndWorksWithoutIt() {
        Db.flyway(pg, "2022-01-10T15:00:00Z", BASE).load().migrate();
        assertThat(Db.partitionNames(pg, "events"))
                .as("declared")
                .containsExactly("events_p20220110", "events_p20220111");
        // an earlier DETACH ... CONCURRENTLY was interrupted on both tables: FINALIZE has to finish them
        Db.leaveDetachPending(pg, "events", "events_p20220110");
        Db.leaveDetachPending(pg, "clicks", "clicks_p20220110");

        // 1. Why the guard exists: plain JDBC FINALIZE in a non-transactional migration waits for Flyway's own
        // transaction (here until its 1 s lock_timeout; without one, forever)
        Flyway raw = Db.flyway(pg, LATER, BASE, RAW).load();
        assertThatThrownBy(raw::migrate)
                .as("FINALIZE under the transactional lock")
                .satisfies(e -> assertThat(Db.messages(e)).contains("lock timeout"));
        raw.repair();

        // 2. The guard: maintenance would run FINALIZE; it fails before doing anything
        Flyway guarded = Db.flyway(pg, LATER, BASE, MAINTAIN).load();
        long start = System.nanoTime();
        assertThatThrownBy(guarded::migrate)
                .as("maintain(events) under the transactional lock")
                .isInstanceOf(FlywayException.class)
                .satisfies(e -> assertThat(Db.messages(e))
                        .contains("Migration dev.autopartition.flyway.it.lock.maintain.V3__maintain_events must run")
                        .contains("ALTER TABLE \"public\".\"events\" DETACH PARTITION \"public\".\"events_p20220110\""
                                + " FINALIZE")
                        .contains("Fix: set flyway.postgresql.transactional.lock=false"));
        assertThat((System.nanoTime() - start) / 1_000_000)
                .as("at once, not after lock timeouts and retries")
                .isLessThan(3_000);
        assertThat(Db.partitionNames(pg, "events"))
                .as("nothing changed: no partition removed or created")
                .containsExactly("events_p20220110", "events_p20220111");
        assertThat(Db.pendingDetaches(pg, "events")).as("still pending").containsExactly("events_p20220110");
        guarded.repair();

        // 3. The fix: without the transactional lock the same migration finishes the detach and applies retention
        FluentConfiguration fixed = Db.withoutTransactionalLock(Db.flyway(pg, LATER, BASE, MAINTAIN));
        assertThat(fixed.load().migrate().migrationsExecuted).as("applied").isEqualTo(1);
        assertThat(Db.pendingDetaches(pg, "events")).as("finalized").isEmpty();
        assertThat(Db.partitionNames(pg, "events"))
                .as("at 2022-01-14 with 2 days retention: the 10th and 11th are gone, the days since and 1 ahead exist")
                .containsExactly("events_p20220112", "events_p20220113", "events_p20220114", "events_p20220115");
        assertThat(Db.exists(pg, "events_p20220110"))
                .as("dropped after the detach")
                .isFalse();

        // 4. The other fix: the callback runs after migrate, when Flyway's transaction has ended
        List<String> pendingClicks = Db.pendingDetaches(pg, "clicks");
        assertThat(pendingClicks).as("clicks untouched so far").containsExactly("clicks_p20220110");
        Db.flyway(pg, LATER, BASE, MAINTAIN)
                .callbacks(new AutoPartitionCallback())
                .load()
                .migrate();
        assertThat(Db.pendingDetaches(pg, "clicks"))
                .as("finalized by the callback under the default lock")
                .isEmpty();
        assertThat(Db.partitionNames(pg, "clicks"))
                .as("retention")
                .containsExactly("clicks_p20220112", "clicks_p20220113", "clicks_p20220114", "clicks_p20220115");
    }
}
