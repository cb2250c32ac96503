package dev.autopartition.flyway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.autopartition.InvalidSpecException;
import dev.autopartition.flyway.it.operations.V2__partition_chat_messages;
import dev.autopartition.flyway.it.operations.V4__audit_log_partitions;
import dev.autopartition.flyway.it.operations.V5__retire_audit_log_2021;
import dev.autopartition.flyway.it.operations.V7__maintain;
import org.junit.jupiter.api.Test;

class PartitioningMigrationTest {
    @Test
    void takesVersionAndDescriptionFromTheClassName() {
        V2__partition_chat_messages migration = new V2__partition_chat_messages();
        assertThat(migration.getVersion().getVersion()).as("version").isEqualTo("2");
        assertThat(migration.getDescription()).as("description").isEqualTo("partition chat messages");
    }

    @Test
    void runsInFlywaysTransactionUnlessAChangeDetachesPartitions() {
        assertThat(new V2__partition_chat_messages().canExecuteInTransaction())
                .as("autoPartition")
                .isTrue();
        assertThat(new V4__audit_log_partitions().canExecuteInTransaction())
                .as("createPartition")
                .isTrue();
        assertThat(new V5__retire_audit_log_2021().canExecuteInTransaction())
                .as("dropPartition")
                .isFalse();
        assertThat(new V7__maintain().canExecuteInTransaction()).as("maintain").isFalse();
    }

    @Test
    void declaresItsChangesOnce() {
        int[] calls = {0};
        PartitioningMigration migration = new ChecksumTest.V1__declared(p -> {
            calls[0]++;
            p.maintain();
        });
        migration.getChecksum();
        migration.canExecuteInTransaction();
        migration.getChecksum();
        assertThat(calls[0]).as("partitioning(...) calls").isEqualTo(1);
    }

    @Test
    void refusesAMigrationThatDeclaresNothing() {
        PartitioningMigration empty = new ChecksumTest.V1__declared(p -> {});
        assertThatThrownBy(empty::getChecksum)
                .as("empty")
                .isInstanceOf(InvalidSpecException.class)
                .hasMessageContaining("declares no partitioning changes. Fix: declare at least one");
    }
}
