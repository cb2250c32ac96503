package dev.autopartition.flyway.it.dbmaint;

import dev.autopartition.AutoPartitionSpec;
import dev.autopartition.TableName;
import dev.autopartition.flyway.Partitioning;
import dev.autopartition.flyway.PartitioningMigration;

public class V1__readings extends PartitioningMigration {
    @Override
    protected void partitioning(Partitioning partitioning) {
        partitioning.autoPartition(AutoPartitionSpec.builder(TableName.of("readings"), "taken_at")
                .increment("1 day")
                .minimumAdvancePartitions(1)
                .maximumAdvancePartitions(1));
    }
}
