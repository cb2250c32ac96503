package dev.autopartition.internal.migrate;

import static org.assertj.core.api.Assertions.assertThat;

import dev.autopartition.AutoPartitionSpec;
import dev.autopartition.MigrationPhase;
import dev.autopartition.MigrationSpec;
import dev.autopartition.MigrationStatus;
import dev.autopartition.TableName;
import dev.autopartition.internal.catalog.EngineCatalog;
import dev.autopartition.internal.pace.Pacer;
import dev.autopartition.internal.run.ConnectionSource;
import dev.autopartition.internal.run.Executor;
import dev.autopartition.testing.PostgresExtension;
import java.sql.Connection;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The migration asks its pacer before every copy batch and reports to it after, and says when it is throttled. */
class MigrationPacingIT {
    @RegisterExtension
    static final PostgresExtension pg = new PostgresExtension();

    /** A pacer that asks for small batches, records what it is told, and always holds back for a standby. */
    static final class RecordingPacer implements Pacer {
        final List<Long> batches = new CopyOnWriteArrayList<>();
        final AtomicInteger asked = new AtomicInteger();
        volatile boolean closed;

        @Override
        public int batchRows() {
            asked.incrementAndGet();
            return 100;
        }

        @Override
        public void afterBatch(int worker, long rows) {
            batches.add(rows);
        }

        @Override
        public Optional<String> throttled() {
            return Optional.of("standby lag 1.4 s > 1 s");
        }

        @Override
        public void close() {
            closed = true;
        }
    }

    @Test
    void theCopyAimsAtThePacersBatchAndTheStatusSaysWhyItIsSlow() throws Exception {
        pg.execute(
                "CREATE TABLE paced (id bigint PRIMARY KEY, created_at timestamptz NOT NULL, body text)",
                "CREATE INDEX ON paced (created_at)",
                // spread evenly over January, so the first slices hold about 300 rows each
                "INSERT INTO paced SELECT i, timestamptz '2022-01-01 00:00:00+00' + i * interval '535 seconds', 'x'"
                        + " FROM generate_series(1, 5000) i");
        RecordingPacer pacer = new RecordingPacer();
        EngineCatalog catalog = new EngineCatalog("autopartition");
        Migrator migrator = new Migrator(
                ConnectionSource.of(pg.dataSource()),
                catalog,
                Clock.fixed(Instant.parse("2022-01-11T12:00:00Z"), ZoneOffset.UTC),
                new Executor(Duration.ofMillis(500), 3, Duration.ofMillis(10), Duration.ofMillis(50)),
                rule -> {},
                table -> {},
                spec -> pacer);
        MigrationSpec spec = MigrationSpec.builder(AutoPartitionSpec.builder(TableName.of("paced"), "created_at")
                        .increment("1 month")
                        .build())
                .cutover(false)
                .build();
        MigrationStatus status;
        try (Connection connection = pg.dataSource().getConnection()) {
            catalog.install(connection);
            status = migrator.run(connection, spec);
        }
        long copied = pacer.batches.stream().mapToLong(Long::longValue).sum();
        long copyBatches = pacer.batches.stream().filter(rows -> rows > 0).count();
        assertThat(status.phase()).isEqualTo(MigrationPhase.VERIFIED);
        assertThat(copied).as("every copied row was reported to the pacer").isGreaterThanOrEqualTo(5000);
        assertThat(copyBatches)
                .as("5,000 rows in batches aimed at 100 rows (the spec's 10,000 would take a handful)")
                .isGreaterThanOrEqualTo(25);
        assertThat(pacer.asked.get()).as("asked before every batch").isGreaterThanOrEqualTo((int) copyBatches);
        assertThat(status.message()).isEqualTo("ready to cut over; throttled: standby lag 1.4 s > 1 s");
        assertThat(pacer.closed).as("one pacer per run, closed at its end").isTrue();
    }
}
