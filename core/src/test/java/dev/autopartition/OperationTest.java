package dev.autopartition;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The canonical texts of operations: front ends checksum them, so they must not drift. */
class OperationTest {
    @Test
    void aRuleHasOneLinePerOptionAndAbsentOptionsAddNone() {
        AutoPartitionSpec spec = AutoPartitionSpec.builder(TableName.of("events"), "ts")
                .increment("1 day")
                .retention("30 days")
                .build();
        assertThat(new Operation.DeclareRule(spec).canonical())
                .isEqualTo(String.join(
                        "\n",
                        "autoPartition",
                        "table=\"public\".\"events\"",
                        "column=ts",
                        "increment=1 day",
                        "timeZone=UTC",
                        "minimumAdvancePartitions=" + spec.minimumAdvancePartitions(),
                        "maximumAdvancePartitions=" + spec.maximumAdvancePartitions(),
                        "retention=30 days",
                        "retentionAction=DROP",
                        "defaultPartition=false",
                        "enabled=true"));
    }

    @Test
    void partitionsAndStepsNameWhatTheyTouch() {
        TableName parent = TableName.of("t");
        assertThat(new Operation.CreatePartition(parent, null, PartitionBounds.hash(4, 1)).canonical())
                .isEqualTo("createPartition\nparent=\"public\".\"t\"\nmodulus=4\nremainder=1");
        assertThat(new Operation.CreatePartition(parent, "t_d", PartitionBounds.defaultPartition()).canonical())
                .isEqualTo("createPartition\nparent=\"public\".\"t\"\nname=t_d\ndefault");
        assertThat(new Operation.MigrationStep(parent, Operation.MigrationStep.Step.FINALIZE).canonical())
                .isEqualTo("finalizeMigration\ntable=\"public\".\"t\"");
        assertThat(new Operation.Maintain(null).canonical()).isEqualTo("maintain");
        assertThat(new Operation.InstallDatabaseMaintenance("*/5 * * * *").canonical())
                .isEqualTo("installDatabaseMaintenance\ncron=*/5 * * * *");
    }

    @Test
    void onlyOperationsThatNeitherCommitAsTheyGoNorDetachRunInACallersTransaction() {
        TableName t = TableName.of("t");
        List<Operation<?>> inTransaction = List.of(
                new Operation.DropRule(t),
                new Operation.CreatePartition(t, null, PartitionBounds.values("a")),
                new Operation.FindPartition(t, "a"),
                new Operation.InstallDatabaseMaintenance(null),
                new Operation.UninstallDatabaseMaintenance());
        List<Operation<?>> ownTransactions = List.of(
                new Operation.DropPartition(t),
                new Operation.Maintain(t),
                new Operation.MigrationStep(t, Operation.MigrationStep.Step.CUTOVER));
        assertThat(inTransaction).allMatch(Operation::transactional);
        assertThat(ownTransactions).noneMatch(Operation::transactional);
    }
}
