package dev.autopartition;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.autopartition.testing.PostgresExtension;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Every operation value planned and then applied through {@link AutoPartition#plan} and {@link AutoPartition#apply}. */
class OperationIT {
    @RegisterExtension
    static final PostgresExtension pg = new PostgresExtension();

    private final Fixtures.MovableClock clock = new Fixtures.MovableClock("2024-03-10T12:00:00Z");

    private AutoPartition engine() {
        return AutoPartition.configure(pg.dataSource()).clock(clock).build();
    }

    @Test
    void aRuleIsPlannedDeclaredMaintainedAndDroppedThroughOperations() {
        pg.execute("CREATE TABLE \"Op Events\" (ts timestamptz NOT NULL, v int) PARTITION BY RANGE (ts)");
        AutoPartition ap = engine();
        TableName table = TableName.of("Op Events");
        Operation.DeclareRule declare = new Operation.DeclareRule(
                AutoPartitionSpec.builder(table, "ts").increment("1 day").build());

        Plan plan = ap.plan(declare);
        assertThat(plan.toSql())
                .as("the dry run of a declaration shows the partitions it would create")
                .contains(
                        "FOR VALUES FROM ('2024-03-10 00:00:00+00'::timestamptz) TO ('2024-03-11 00:00:00+00'::timestamptz)");
        assertThat(Fixtures.partitionNames(pg, "\"Op Events\""))
                .as("planning created nothing")
                .isEmpty();

        TableReport report = ap.apply(declare);
        assertThat(report.created()).as("the declaration's first maintenance").isNotEmpty();
        assertThat(Fixtures.partitionNames(pg, "\"Op Events\""))
                .hasSize(report.created().size());

        assertThat(ap.plan(new Operation.Maintain(table)).isEmpty())
                .as("nothing left to plan right after the declaration")
                .isTrue();
        clock.set("2024-03-20T12:00:00Z");
        assertThat(ap.plan(new Operation.Maintain(null)).isEmpty())
                .as("ten days later the advance partitions are due")
                .isFalse();
        MaintenanceReport maintained = ap.apply(new Operation.Maintain(table));
        assertThat(maintained.created()).isPositive();

        Optional<PartitionInfo> found = ap.apply(new Operation.FindPartition(table, "2024-03-20 13:00:00+00"));
        assertThat(found).as("the partition of 20 March").isPresent();
        assertThat(ap.plan(new Operation.FindPartition(table, "2024-03-20")).isEmpty())
                .as("a lookup plans no step")
                .isTrue();

        TableName dropped = ap.apply(new Operation.DropPartition(found.get().name()));
        assertThat(Fixtures.partitionNames(pg, "\"Op Events\"")).doesNotContain(dropped.name());

        assertThat(ap.apply(new Operation.DropRule(table))).as("it had a rule").isTrue();
        assertThat(ap.apply(new Operation.DropRule(table)))
                .as("the rule is gone")
                .isFalse();
    }

    @Test
    void explicitPartitionsAndBadInputNameTheirField() {
        pg.execute("CREATE TABLE regions (code text NOT NULL) PARTITION BY LIST (code)");
        AutoPartition ap = engine();
        TableName regions = TableName.of("regions");
        Operation.CreatePartition eu =
                new Operation.CreatePartition(regions, "regions_eu", PartitionBounds.values("eu"));
        assertThat(ap.plan(eu).toSql()).contains("FOR VALUES IN ('eu')");

        assertThat(ap.apply(eu).name()).isEqualTo(TableName.of("regions_eu"));
        assertThatThrownBy(() ->
                        ap.apply(new Operation.CreatePartition(regions, "regions_eu", PartitionBounds.values("us"))))
                .isInstanceOfSatisfying(
                        InvalidSpecException.class,
                        e -> assertThat(e.field())
                                .as("the taken name is the partitionName's fault")
                                .contains(SpecField.PARTITION_NAME));
        assertThatThrownBy(
                        () -> ap.apply(new Operation.CreatePartition(regions, null, PartitionBounds.range("a", "b"))))
                .isInstanceOfSatisfying(
                        InvalidSpecException.class,
                        e -> assertThat(e.field())
                                .as("range bounds on a list-partitioned table")
                                .contains(SpecField.RANGE));
        assertThatThrownBy(() ->
                        ap.plan(new Operation.DeclareRule(AutoPartitionSpec.builder(TableName.of("no_such_table"), "ts")
                                .increment("1 day")
                                .build())))
                .isInstanceOfSatisfying(
                        InvalidSpecException.class, e -> assertThat(e.field()).contains(SpecField.TABLE));
    }

    @Test
    void migrationStepsOfAnUnknownMigrationAreRefusedAndTheirDryRunSaysWhy() {
        AutoPartition ap = engine();
        TableName table = TableName.of("never_migrated");
        for (Operation.MigrationStep.Step step : Operation.MigrationStep.Step.values()) {
            Operation.MigrationStep operation = new Operation.MigrationStep(table, step);
            assertThatThrownBy(() -> ap.apply(operation))
                    .as(step + " of a table with no migration")
                    .isInstanceOf(InvalidSpecException.class)
                    .hasMessageContaining("never_migrated");
        }
        assertThat(ap.plan(new Operation.MigrationStep(table, Operation.MigrationStep.Step.CUTOVER))
                        .notes())
                .singleElement()
                .asString()
                .contains("no migration of \"public\".\"never_migrated\" is recorded");
    }

    @Test
    void databaseMaintenanceIsInstalledAndRemovedThroughOperations() {
        AutoPartition ap = engine();
        assertThat(ap.plan(new Operation.InstallDatabaseMaintenance(null)).toSql())
                .contains("run_maintenance");
        DatabaseMaintenanceStatus status = ap.apply(new Operation.InstallDatabaseMaintenance(null));
        assertThat(status.installed()).isTrue();
        assertThat(ap.apply(new Operation.UninstallDatabaseMaintenance())).isTrue();
        assertThat(ap.apply(new Operation.UninstallDatabaseMaintenance())).isFalse();
    }
}
