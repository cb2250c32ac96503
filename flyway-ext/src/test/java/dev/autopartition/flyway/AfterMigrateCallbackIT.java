package dev.autopartition.flyway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.autopartition.testing.PostgresExtension;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Instant;
import java.util.Map;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;
import org.flywaydb.core.api.configuration.FluentConfiguration;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The callback keeps partitions current on every migrate, as the (injected) clock moves. */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class AfterMigrateCallbackIT {
    @RegisterExtension
    static final PostgresExtension pg = new PostgresExtension();

    private static final String LOCATION = "classpath:dev/autopartition/flyway/it/callback";

    /** Flyway with the callback registered by class name, as in flyway.conf, at the given time. */
    private static FluentConfiguration flyway(String now) {
        return Db.flyway(pg, now, LOCATION).callbacks(AutoPartitionCallback.class.getName());
    }

    private static String last() {
        var names = Db.partitionNames(pg, "chat_messages");
        return names.get(names.size() - 1);
    }

    @Test
    @Order(1)
    void createsTheNextPartitionsAfterTheClockMoves() {
        Flyway first = flyway("2022-01-10T15:00:00Z").load();
        assertThat(first.migrate().migrationsExecuted).as("applied").isEqualTo(2);
        assertThat(Db.partitionNames(pg, "chat_messages"))
                .as("declared at 2022-01-10: today and 3 ahead")
                .containsExactly(
                        "chat_messages_p20220110",
                        "chat_messages_p20220111",
                        "chat_messages_p20220112",
                        "chat_messages_p20220113");

        assertThat(flyway("2022-01-11T15:00:00Z").load().migrate().migrationsExecuted)
                .as("nothing to apply")
                .isZero();
        assertThat(last())
                .as("a day later 2 lie ahead: the minimum, nothing to do")
                .isEqualTo("chat_messages_p20220113");

        flyway("2022-01-12T15:00:00Z").load().migrate();
        assertThat(Db.partitionNames(pg, "chat_messages"))
                .as("two days later only 1 lies ahead: the callback tops up to 3 ahead")
                .containsExactly(
                        "chat_messages_p20220110",
                        "chat_messages_p20220111",
                        "chat_messages_p20220112",
                        "chat_messages_p20220113",
                        "chat_messages_p20220114",
                        "chat_messages_p20220115");
    }

    @Test
    @Order(2)
    void canBeSwitchedOffByPlaceholderOrSystemProperty() {
        flyway("2022-01-20T15:00:00Z")
                .placeholders(Map.of("autopartition.now", "2022-01-20T15:00:00Z", "autopartition.enabled", "false"))
                .load()
                .migrate();
        assertThat(last()).as("flyway.placeholders.autopartition.enabled=false").isEqualTo("chat_messages_p20220115");

        System.setProperty("autopartition.flyway.enabled", "false");
        try {
            flyway("2022-01-20T15:00:00Z").load().migrate();
        } finally {
            System.clearProperty("autopartition.flyway.enabled");
        }
        assertThat(last()).as("-Dautopartition.flyway.enabled=false").isEqualTo("chat_messages_p20220115");
    }

    @Test
    @Order(3)
    void appliesRetentionOutsideFlywaysTransaction() {
        flyway("2022-01-20T15:00:00Z").load().migrate();
        assertThat(Db.partitionNames(pg, "chat_messages"))
                .as("at 2022-01-20 with 3 days retention: everything ending before 2022-01-17 is gone, 3 ahead")
                .containsExactly(
                        "chat_messages_p20220117",
                        "chat_messages_p20220118",
                        "chat_messages_p20220119",
                        "chat_messages_p20220120",
                        "chat_messages_p20220121",
                        "chat_messages_p20220122",
                        "chat_messages_p20220123");
        assertThat(Db.exists(pg, "chat_messages_p20220110")).as("dropped").isFalse();
    }

    @Test
    @Order(4)
    void takesItsSettingsFromTheConstructorWhenGiven() {
        AutoPartitionCallback callback =
                new AutoPartitionCallback(FlywaySettings.defaults().withNow(Instant.parse("2022-01-22T15:00:00Z")));
        Db.flyway(pg, "2022-01-01T00:00:00Z", LOCATION)
                .callbacks(callback)
                .load()
                .migrate();
        assertThat(last()).as("the callback's own clock, not the placeholder").isEqualTo("chat_messages_p20220125");
    }

    @Test
    @Order(5)
    void failsTheMigrateCommandWhenMaintenanceFails() throws Exception {
        try (Connection blocker = pg.connection();
                Statement st = blocker.createStatement()) {
            blocker.setAutoCommit(false);
            // SHARE (as a plain CREATE INDEX takes) blocks ATTACH PARTITION but not reads
            st.execute("LOCK TABLE chat_messages IN SHARE MODE");
            FluentConfiguration configuration = flyway("2022-01-25T15:00:00Z")
                    .placeholders(
                            Map.of("autopartition.now", "2022-01-25T15:00:00Z", "autopartition.lockTimeout", "50ms"));
            assertThatThrownBy(() -> configuration.load().migrate())
                    .as("a session holds a lock that conflicts with ATTACH PARTITION for longer than every retry")
                    .isInstanceOf(FlywayException.class)
                    .hasMessageContaining("autopartition maintenance after migrate failed (the migrations themselves"
                            + " were applied)")
                    .hasMessageContaining("could not get a lock within 50 ms");
            blocker.rollback();
        }
        assertThat(last()).as("nothing created while the table was locked").isEqualTo("chat_messages_p20220125");
    }

    @Test
    @Order(6)
    void doesNotHangBehindAnAccessExclusiveLockAndCanOnlyLog() throws Exception {
        try (Connection blocker = pg.connection();
                Statement st = blocker.createStatement()) {
            blocker.setAutoCommit(false);
            st.execute("LOCK TABLE chat_messages IN ACCESS EXCLUSIVE MODE");
            long start = System.nanoTime();
            flyway("2022-01-25T15:00:00Z")
                    .placeholders(Map.of(
                            "autopartition.now", "2022-01-25T15:00:00Z",
                            "autopartition.lockTimeout", "50ms",
                            "autopartition.failOnError", "false"))
                    .load()
                    .migrate();
            long millis = (System.nanoTime() - start) / 1_000_000;
            blocker.rollback();
            assertThat(millis)
                    .as("catalog reads give up after ten lock timeouts instead of waiting for the lock holder")
                    .isLessThan(10_000);
        }
        assertThat(last()).as("nothing created; failOnError=false only logged").isEqualTo("chat_messages_p20220125");
        flyway("2022-01-25T15:00:00Z").load().migrate();
        assertThat(last()).as("the next migrate catches up").isEqualTo("chat_messages_p20220128");
    }
}
