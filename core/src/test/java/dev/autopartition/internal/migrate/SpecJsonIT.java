package dev.autopartition.internal.migrate;

import static org.assertj.core.api.Assertions.assertThat;

import dev.autopartition.AutoPartitionSpec;
import dev.autopartition.MigrationSpec;
import dev.autopartition.TableName;
import dev.autopartition.internal.catalog.EngineCatalog;
import dev.autopartition.testing.PostgresExtension;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class SpecJsonIT {
    @RegisterExtension
    static final PostgresExtension pg = new PostgresExtension();

    private static final AutoPartitionSpec RULE = AutoPartitionSpec.builder(TableName.of("t"), "ts")
            .increment("1 day")
            .build();

    @Test
    void thePacingBudgetsAreStoredWithTheRule() throws Exception {
        MigrationSpec spec = MigrationSpec.builder(RULE)
                .pacing(false)
                .latencyBudget(2.5)
                .latencyFloor(Duration.ofMillis(7))
                .standbyLagBudget(Duration.ofSeconds(3))
                .build();
        try (Connection c = pg.connection()) {
            MigrationStore store = store(c);
            long id = insert(c, SpecJson.write(spec));
            MigrationSpec read = SpecJson.readPacing(c, store, id, MigrationSpec.builder(RULE))
                    .build();
            assertThat(read.pacing()).isFalse();
            assertThat(read.latencyBudget()).isEqualTo(2.5);
            assertThat(read.latencyFloor()).isEqualTo(Duration.ofMillis(7));
            assertThat(read.standbyLagBudget()).isEqualTo(Duration.ofSeconds(3));
            assertThat(SpecJson.read(c, store, id, TableName.of("t"))).isEqualTo(RULE);
        }
    }

    @Test
    void aSpecStoredBeforeTheBudgetsReadsWithTheDefaults() throws Exception {
        try (Connection c = pg.connection()) {
            MigrationStore store = store(c);
            long id = insert(c, SpecJson.write(RULE));
            MigrationSpec read = SpecJson.readPacing(c, store, id, MigrationSpec.builder(RULE))
                    .build();
            assertThat(read.pacing()).isTrue();
            assertThat(read.latencyBudget()).isEqualTo(MigrationSpec.DEFAULT_LATENCY_BUDGET);
            assertThat(read.latencyFloor()).isEqualTo(MigrationSpec.DEFAULT_LATENCY_FLOOR);
            assertThat(read.standbyLagBudget()).isEqualTo(MigrationSpec.DEFAULT_STANDBY_LAG_BUDGET);
        }
    }

    private static MigrationStore store(Connection c) {
        EngineCatalog catalog = new EngineCatalog("autopartition");
        catalog.install(c);
        return new MigrationStore(catalog);
    }

    private static long insert(Connection c, String json) throws Exception {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO autopartition.migration (table_oid, schema_name,"
                + " table_name, new_name, retired_name, key_column, key_type, strategy, spec, phase, finished_at)"
                + " VALUES (0, 'public', 't', 't_new', 't_retired', 'ts', 'timestamptz', 'copy', ?::jsonb,"
                + " 'prepared', now()) RETURNING id")) {
            ps.setString(1, json);
            try (var rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }
}
