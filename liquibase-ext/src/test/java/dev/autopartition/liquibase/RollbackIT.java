package dev.autopartition.liquibase;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.autopartition.testing.PostgresExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Rollback where an inverse exists, a clear message where none does, and detach plans inside and outside a transaction. */
class RollbackIT {
    @RegisterExtension
    static final PostgresExtension pg = new PostgresExtension();

    @Test
    void rollingBackARedeclarationRestoresTheEarlierRule() {
        String changelog = "changelogs/rollback/redeclare.yaml";
        Db db = new Db(pg.database());
        Lb lb = new Lb(pg.database()).now("2022-01-10T00:00:00Z");
        lb.update(changelog);
        assertThat(db.rules())
                .as("v2 of the rule")
                .containsExactly("logs | at | 1 day | UTC | null | 2 | 7 | 90 days | drop | null | f | null | t");
        assertThat(db.partitionNames("logs")).as("the unnamed range partition").contains("logs_p20210101");

        assertThat(lb.rollbackCountSql(changelog, 1))
                .as("rollback-sql finds the partition that holds 'from'")
                .contains("ALTER TABLE \"public\".\"logs\" DETACH PARTITION \"public\".\"logs_p20210101\"")
                .contains("DROP TABLE \"public\".\"logs_p20210101\"");
        lb.rollbackCount(changelog, 1);
        assertThat(db.partitionNames("logs")).as("createPartition rolled back").doesNotContain("logs_p20210101");

        lb.rollbackCount(changelog, 1);
        assertThat(db.rules())
                .as("rolling back v2 declares v1 again")
                .containsExactly("logs | at | 1 day | UTC | null | 2 | 5 | 30 days | drop | null | f | null | t");

        lb.rollbackCount(changelog, 1);
        assertThat(db.rules()).as("rolling back v1 removes the rule").isEmpty();
        assertThat(db.partitionNames("logs")).as("the rule's partitions stay").contains("logs_p20220110");
        lb.rollbackCount(changelog, 1);
        assertThat(db.exists("public", "logs"))
                .as("and the table goes with its own rollback")
                .isFalse();
    }

    @Test
    void dropPartitionHasNoAutomaticRollback() {
        String changelog = "changelogs/rollback/no-inverse-drop.yaml";
        Lb lb = new Lb(pg.database());
        lb.update(changelog);
        Db db = new Db(pg.database());
        String before = db.snapshot();
        assertThat(String.valueOf(catchThrowable(() -> lb.rollbackCount(changelog, 1))))
                .as("the message says why and what to do")
                .contains("dropPartition in change set changelogs/rollback/no-inverse-drop.yaml::kinds-a-dropped::dave")
                .contains("cannot be rolled back automatically: the partition and its rows are gone")
                .contains("Fix: write a <rollback> block");
        assertThat(db.snapshot()).as("nothing was rolled back").isEqualTo(before);
    }

    @Test
    void anUnnamedListPartitionHasNoAutomaticRollback() {
        String changelog = "changelogs/rollback/no-inverse-list.yaml";
        Lb lb = new Lb(pg.database());
        lb.update(changelog);
        assertThat(new Db(pg.database()).partitionNames("colors")).containsExactly("colors_red");
        assertThat(String.valueOf(catchThrowable(() -> lb.rollbackCount(changelog, 1))))
                .contains("createPartition in change set changelogs/rollback/no-inverse-list.yaml::colors-red::dave")
                .contains("a list partition created without partitionName cannot be found again for rollback")
                .contains("Fix: give partitionName");
    }

    @Test
    void dropAutoPartitionWithoutAnEarlierDeclarationHasNoAutomaticRollback() {
        pg.execute("CREATE TABLE stamps (at date NOT NULL) PARTITION BY RANGE (at)");
        String changelog = "changelogs/rollback/no-inverse-unmanage.yaml";
        Lb lb = new Lb(pg.database());
        lb.update(changelog);
        assertThat(String.valueOf(catchThrowable(() -> lb.rollbackCount(changelog, 1))))
                .contains("no earlier autoPartition of stamps in this changelog says what the rule was")
                .contains("Fix: write a <rollback> block with the autoPartition to restore");
    }

    @Test
    void detachesConcurrentlyOutsideATransactionOnly() {
        pg.execute(
                "CREATE TABLE hits (at date NOT NULL) PARTITION BY RANGE (at)",
                "CREATE TABLE hits_2021 PARTITION OF hits FOR VALUES FROM ('2021-01-01') TO ('2022-01-01')",
                "CREATE TABLE hits_2022 PARTITION OF hits FOR VALUES FROM ('2022-01-01') TO ('2023-01-01')");
        String changelog = "changelogs/rollback/concurrently.yaml";
        Lb lb = new Lb(pg.database());
        String sql = lb.updateSql(changelog);
        assertThat(sql)
                .as("runInTransaction=false: a concurrent detach, which runs outside a transaction block")
                .contains("(outside a transaction block)\nALTER TABLE \"public\".\"hits\" DETACH PARTITION"
                        + " \"public\".\"hits_2021\" CONCURRENTLY;");
        assertThat(sql)
                .as("in Liquibase's transaction: a plain detach")
                .contains("ALTER TABLE \"public\".\"hits\" DETACH PARTITION \"public\".\"hits_2022\";");
        lb.update(changelog);
        assertThat(new Db(pg.database()).partitionNames("hits"))
                .as("both dropped")
                .isEmpty();
        assertThat(new Db(pg.database()).exists("public", "hits_2021")).isFalse();
    }
}
