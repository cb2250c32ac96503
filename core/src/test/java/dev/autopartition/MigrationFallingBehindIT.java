package dev.autopartition;

import static org.assertj.core.api.Assertions.assertThat;

import dev.autopartition.testing.PostgresExtension;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Writers that change rows faster than the catch-up can replay them: every row written to the new table passes a
 * CHECK that takes 2 ms (copied with the table's constraints), so one replaying connection manages about 500 rows/s
 * while four writers make about four times as many changes. The migration says so in its status and a health finding
 * while it keeps going, and clears it once the writes slow down and the backlog shrinks.
 */
class MigrationFallingBehindIT {
    @RegisterExtension
    static final PostgresExtension pg = new PostgresExtension();

    @Test
    void aCatchUpThatCannotKeepUpIsReportedAndClearedOnceItCatchesUp() throws Exception {
        pg.execute(
                "CREATE TABLE slowness (slow boolean NOT NULL)",
                "INSERT INTO slowness VALUES (true)",
                "CREATE FUNCTION slow_ok(text) RETURNS boolean LANGUAGE sql AS"
                        + " $$ SELECT CASE WHEN (SELECT slow FROM slowness) THEN pg_sleep(0.002) IS NOT NULL"
                        + " ELSE true END $$",
                "CREATE TABLE busy (id bigint PRIMARY KEY, created_at timestamptz NOT NULL,"
                        + " body text CHECK (slow_ok(body)))",
                "INSERT INTO busy SELECT g, timestamptz '2022-01-10 00:00+00' + g * interval '1 minute', 'm'"
                        + " FROM generate_series(1, 300) g",
                "CREATE INDEX ON busy (created_at)");
        AutoPartition ap = AutoPartition.configure(pg.dataSource())
                .clock(new Fixtures.MovableClock("2022-01-10T12:00:00Z"))
                .build();
        MigrationSpec spec =
                MigrationRunner.spec("busy").parallelism(1).cutover(false).build();

        AtomicBoolean stop = new AtomicBoolean();
        AtomicLong next = new AtomicLong(1_000);
        List<Thread> writers = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            writers.add(new Thread(() -> write(stop, next), "writer-" + i));
        }
        writers.forEach(Thread::start);
        // watch the migration as an operator would; stop the writers once it says it falls behind
        java.util.concurrent.atomic.AtomicReference<MigrationStatus> seen =
                new java.util.concurrent.atomic.AtomicReference<>();
        java.util.concurrent.atomic.AtomicReference<HealthReport> health =
                new java.util.concurrent.atomic.AtomicReference<>();
        Thread watcher = new Thread(
                () -> {
                    while (!stop.get()) {
                        ap.migrationStatus(TableName.of("busy"))
                                .filter(s -> s.fallingBehind() != null)
                                .ifPresent(s -> {
                                    seen.set(s);
                                    health.set(ap.health(RunHistory.none()));
                                    stop.set(true);
                                });
                        Fixtures.sleep(50);
                    }
                },
                "watcher");
        watcher.start();
        MigrationStatus verified;
        try {
            verified = ap.migrateToPartitioned(spec);
        } finally {
            stop.set(true);
            watcher.join();
            for (Thread writer : writers) {
                writer.join();
            }
        }
        if (seen.get() == null) {
            // the run may reach VERIFIED between two polls; what it recorded stays until a pass shrinks the backlog
            seen.set(ap.migrationStatus(TableName.of("busy")).orElseThrow());
            health.set(ap.health(RunHistory.none()));
            pg.execute("UPDATE slowness SET slow = false");
        }
        MigrationStatus behind = seen.get();
        assertThat(behind)
                .as("the status said it fell behind while the writers ran")
                .isNotNull();
        MigrationStatus.FallingBehind falling =
                java.util.Objects.requireNonNull(behind).fallingBehind();
        assertThat(java.util.Objects.requireNonNull(falling).reason())
                .contains("catch-up is not keeping up")
                .contains("changes/s")
                .contains("Fix:");
        assertThat(behind.toString()).contains("falling behind since");
        assertThat(java.util.Objects.requireNonNull(health.get()).findings())
                .filteredOn(f -> f.kind() == HealthFinding.Kind.MIGRATION_FALLING_BEHIND)
                .singleElement()
                .satisfies(f -> {
                    assertThat(f.table()).isEqualTo(TableName.of("busy"));
                    assertThat(f.message())
                            .contains("falling behind its writers since")
                            .contains("Fix:");
                });

        // the run went on to verify; the cutover's catch-up before its lock then shrinks the backlog
        assertThat(verified.phase()).isEqualTo(MigrationPhase.VERIFIED);
        MigrationStatus done = ap.cutover(TableName.of("busy"));
        assertThat(done.phase()).isEqualTo(MigrationPhase.CUT_OVER);
        assertThat(done.fallingBehind()).as("cleared once the backlog shrinks").isNull();
        assertThat(Fixtures.number(pg, "SELECT count(*) FROM busy")).isEqualTo(300 + next.get() - 1_000);
    }

    /** Inserts rows, one per transaction, until told to stop (2 ms each for the CHECK: about 500 a second). */
    private static void write(AtomicBoolean stop, AtomicLong next) {
        try (Connection c = pg.dataSource().getConnection();
                PreparedStatement insert =
                        c.prepareStatement("INSERT INTO busy VALUES (?, timestamptz '2022-01-10 06:00+00', 'w')")) {
            while (!stop.get()) {
                insert.setLong(1, next.getAndIncrement());
                insert.executeUpdate();
            }
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
