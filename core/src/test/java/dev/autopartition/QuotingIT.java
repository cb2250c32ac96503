package dev.autopartition;

import static org.assertj.core.api.Assertions.assertThat;

import dev.autopartition.testing.PostgresExtension;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Names with quotes, spaces, capitals, non-ASCII letters and reserved words work everywhere. */
class QuotingIT {
    @RegisterExtension
    static final PostgresExtension pg = new PostgresExtension();

    @Test
    void everyNameIsQuoted() {
        pg.execute(
                "CREATE SCHEMA \"Sales \"\"EU\"\"\"",
                "CREATE SCHEMA \"Archiv Ü\"",
                "CREATE TABLE \"Sales \"\"EU\"\"\".\"select\" (\"Créé le\" timestamptz NOT NULL, \"order\" int)"
                        + " PARTITION BY RANGE (\"Créé le\")");
        Fixtures.MovableClock clock = new Fixtures.MovableClock("2022-01-10T12:00:00Z");
        AutoPartition ap = AutoPartition.configure(pg.dataSource())
                .clock(clock)
                .catalogSchema("Auto Partition")
                .build();
        TableName table = TableName.of("Sales \"EU\"", "select");
        ap.autoPartition(AutoPartitionSpec.builder(table, "Créé le")
                .increment("1 day")
                .minimumAdvancePartitions(1)
                .maximumAdvancePartitions(1)
                .retention("1 day")
                .retentionAction(RetentionAction.MOVE)
                .retentionSchema("Archiv Ü")
                .defaultPartition(true)
                .build());
        pg.execute("INSERT INTO \"Sales \"\"EU\"\"\".\"select\" VALUES ('2022-01-10 13:00+00', 1)");
        clock.advance(Duration.ofDays(3));
        MaintenanceReport report = ap.maintain();
        assertThat(report.hasErrors()).as(report.toString()).isFalse();
        assertThat(Fixtures.partitionNames(pg, "\"Sales \"\"EU\"\"\".\"select\""))
                .containsExactly("select_default", "select_p20220112", "select_p20220113", "select_p20220114");
        assertThat(Fixtures.number(pg, "SELECT count(*) FROM \"Archiv Ü\".\"select_p20220110\""))
                .isEqualTo(1);
        assertThat(Fixtures.number(pg, "SELECT count(*) FROM \"Auto Partition\".managed_table"))
                .isEqualTo(1);
        assertThat(ap.findPartition(table, "2022-01-13 08:00")
                        .orElseThrow()
                        .name()
                        .name())
                .isEqualTo("select_p20220113");
    }
}
