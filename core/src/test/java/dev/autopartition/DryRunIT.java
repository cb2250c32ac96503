package dev.autopartition;

import static org.assertj.core.api.Assertions.assertThat;

import dev.autopartition.testing.PostgresExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Plans, status and lookups change nothing, not even the engine's catalog on first use. */
class DryRunIT {
    @RegisterExtension
    static final PostgresExtension pg = new PostgresExtension();

    @Test
    void plansWriteNothingAndWorkForIntegerKeys() {
        pg.execute(
                "CREATE TABLE ids (id bigint NOT NULL) PARTITION BY RANGE (id)",
                "CREATE TABLE plain_ids (id bigint PRIMARY KEY)");
        AutoPartition ap = AutoPartition.configure(pg.dataSource())
                .catalogSchema("never_made")
                .build();
        AutoPartitionSpec spec = AutoPartitionSpec.builder(TableName.of("ids"), "id")
                .increment("1000")
                .build();

        assertThat(ap.planAutoPartition(spec).toSql()).contains("FOR VALUES FROM (0) TO (1000)");
        assertThat(ap.planAutoPartition(AutoPartitionSpec.builder(TableName.of("plain_ids"), "id")
                                .increment("1000")
                                .build())
                        .toSql())
                .contains("PARTITION BY RANGE (\"id\")");
        assertThat(ap.plan().isEmpty()).isTrue();
        assertThat(ap.status()).isEmpty();
        assertThat(ap.migrationStatus(TableName.of("plain_ids"))).isEmpty();
        assertThat(Fixtures.number(pg, "SELECT count(*) FROM pg_namespace WHERE nspname = 'never_made'"))
                .as("no catalog schema was created")
                .isZero();
        assertThat(Fixtures.partitionNames(pg, "ids")).isEmpty();
        assertThat(Fixtures.string(pg, "SELECT relkind::text FROM pg_class WHERE relname = 'plain_ids'"))
                .isEqualTo("r");
    }
}
