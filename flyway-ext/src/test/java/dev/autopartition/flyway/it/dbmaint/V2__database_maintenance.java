package dev.autopartition.flyway.it.dbmaint;

import dev.autopartition.flyway.Partitioning;
import dev.autopartition.flyway.PartitioningMigration;

public class V2__database_maintenance extends PartitioningMigration {
    @Override
    protected void partitioning(Partitioning partitioning) {
        partitioning.installDatabaseMaintenance();
    }
}
