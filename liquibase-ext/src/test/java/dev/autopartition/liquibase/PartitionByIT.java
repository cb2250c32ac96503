package dev.autopartition.liquibase;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import dev.autopartition.testing.PostgresExtension;
import java.util.Arrays;
import liquibase.change.core.CreateTableChange;
import liquibase.util.LiquibaseUtil;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Liquibase 5.0.4 added {@code partitionBy} to {@code createTable}; {@code autoPartition} adopts such a table. Skipped
 * on Liquibase versions without the attribute (4.x), where the changelog would not even parse.
 */
class PartitionByIT {
    @RegisterExtension
    static final PostgresExtension pg = new PostgresExtension();

    @Test
    void adoptsATableCreatedWithPartitionBy() {
        boolean hasPartitionBy = Arrays.stream(CreateTableChange.class.getMethods())
                .anyMatch(m -> m.getName().equals("setPartitionBy"));
        assumeThat(hasPartitionBy)
                .as("createTable partitionBy exists in Liquibase " + LiquibaseUtil.getBuildVersion())
                .isTrue();

        new Lb(pg.database()).now("2022-01-10T00:00:00Z").update("changelogs/v5/partition-by.xml");

        Db db = new Db(pg.database());
        assertThat(db.partitionKey("sensor_readings")).as("made by createTable").isEqualTo("RANGE (taken_at)");
        assertThat(db.partitionNames("sensor_readings"))
                .as("monthly partitions: this month and 2 ahead")
                .containsExactly("sensor_readings_p202201", "sensor_readings_p202202", "sensor_readings_p202203");
        assertThat(db.rules()).singleElement().asString().startsWith("sensor_readings | taken_at | 1 month");
    }
}
