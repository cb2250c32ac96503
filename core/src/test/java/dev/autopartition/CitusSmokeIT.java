package dev.autopartition;

import static org.assertj.core.api.Assertions.assertThat;

import dev.autopartition.testing.PostgresExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class CitusSmokeIT {
    @RegisterExtension
    static final PostgresExtension pg = PostgresExtension.citus();

    @Test
    void smoke() {
        pg.execute(
                "CREATE TABLE ev (id bigint NOT NULL, at timestamptz NOT NULL, v text) PARTITION BY RANGE (at)",
                "SELECT create_distributed_table('ev', 'id')");
        Fixtures.MovableClock clock = new Fixtures.MovableClock("2022-01-10T12:00:00Z");
        AutoPartition ap = AutoPartition.configure(pg.dataSource()).clock(clock).build();
        TableReport r = ap.autoPartition(AutoPartitionSpec.builder(TableName.of("ev"), "at")
                .increment("1 day")
                .minimumAdvancePartitions(2)
                .maximumAdvancePartitions(4)
                .retention("3 days")
                .build());
        System.out.println("DECLARE " + r);
        clock.set("2022-01-20T12:00:00Z");
        MaintenanceReport m = ap.maintain();
        System.out.println("MAINTAIN " + m);
        System.out.println(Fixtures.strings(
                pg, "SELECT logicalrelid::text || ' ' || colocationid FROM pg_dist_partition ORDER BY 1"));
        System.out.println(ap.status());
        assertThat(m.hasErrors()).isFalse();
    }
}
