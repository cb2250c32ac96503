package dev.autopartition.liquibase;

import static org.assertj.core.api.Assertions.assertThat;

import dev.autopartition.testing.PostgresExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A {@code maintainPartitions} change set with {@code runAlways="true"} keeps partitions current: each update creates
 * what the clock has reached and applies retention. The clock is moved with the {@code liquibase.autopartition.now}
 * configuration, through a Liquibase scope value and through a system property.
 */
class MaintainPartitionsIT {
    @RegisterExtension
    static final PostgresExtension pg = new PostgresExtension();

    private static final String CHANGELOG = "changelogs/maintain/maintain.xml";

    @Test
    void runAlwaysMaintenanceFollowsTheClock() {
        Db db = new Db(pg.database());
        Lb lb = new Lb(pg.database());

        assertThat(lb.now("2022-01-10T08:00:00Z").updateSql(CHANGELOG))
                .as("update-sql on an empty database: the table comes from an earlier change set of the same run")
                .contains("CREATE TABLE public.metrics (taken_at TIMESTAMP WITH TIME ZONE NOT NULL, value")
                .contains("-- autopartition: autoPartition of \"public\".\"metrics\" on taken_at by 1 day\n"
                        + "-- Not planned here: createTable in change set changelogs/maintain/maintain.xml::metrics-table::carol"
                        + " comes\n-- earlier in this update and has not run yet");
        assertThat(db.exists("public", "metrics"))
                .as("update-sql created nothing")
                .isFalse();

        lb.now("2022-01-10T08:00:00Z").update(CHANGELOG);
        assertThat(db.partitionNames("metrics"))
                .as("declared on the 10th: today and 2 ahead")
                .containsExactly("metrics_p20220110", "metrics_p20220111", "metrics_p20220112");

        lb.now("2022-01-10T20:00:00Z").update(CHANGELOG);
        assertThat(db.partitionNames("metrics"))
                .as("later the same day: 2 ahead is enough, nothing changes")
                .containsExactly("metrics_p20220110", "metrics_p20220111", "metrics_p20220112");

        lb.now("2022-01-12T08:00:00Z").update(CHANGELOG);
        assertThat(db.partitionNames("metrics"))
                .as("on the 12th fewer than 1 lies ahead: maintenance tops up to 2 ahead")
                .containsExactly(
                        "metrics_p20220110",
                        "metrics_p20220111",
                        "metrics_p20220112",
                        "metrics_p20220113",
                        "metrics_p20220114");

        lb.now("2022-01-16T08:00:00Z").update(CHANGELOG);
        assertThat(db.partitionNames("metrics"))
                .as("on the 16th, 08:00: new partitions up to the 18th; those whose upper bound is 3 days past"
                        + " (the 10th to the 12th, which ended at midnight on the 13th) are dropped")
                .containsExactly(
                        "metrics_p20220113",
                        "metrics_p20220114",
                        "metrics_p20220115",
                        "metrics_p20220116",
                        "metrics_p20220117",
                        "metrics_p20220118");
        assertThat(db.history().get("maintain-metrics"))
                .as("the maintenance change set re-ran")
                .endsWith("RERAN");
    }

    @Test
    void theClockComesFromASystemPropertyToo() {
        pg.execute("CREATE TABLE ticks (at timestamptz NOT NULL) PARTITION BY RANGE (at)");
        String key = AutoPartitionConfiguration.NOW.getKey();
        System.setProperty(key, "2030-06-01T00:00:00Z");
        try {
            new Lb(pg.database()).update("changelogs/maintain/ticks.yaml");
        } finally {
            System.clearProperty(key);
        }
        assertThat(new Db(pg.database()).partitionNames("ticks"))
                .as("partitions for June 2030, from -D" + key)
                .containsExactly("ticks_p20300601", "ticks_p20300602");
    }
}
