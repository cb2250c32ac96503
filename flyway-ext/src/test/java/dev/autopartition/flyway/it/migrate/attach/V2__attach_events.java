package dev.autopartition.flyway.it.migrate.attach;

import dev.autopartition.AutoPartitionSpec;
import dev.autopartition.MigrationSpec;
import dev.autopartition.MigrationStrategy;
import dev.autopartition.TableName;
import dev.autopartition.flyway.MigrateToPartitionedMigration;

public class V2__attach_events extends MigrateToPartitionedMigration {
    @Override
    protected MigrationSpec spec() {
        return MigrationSpec.builder(AutoPartitionSpec.builder(TableName.of("events"), "created_at")
                        .increment("1 day")
                        .build())
                .strategy(MigrationStrategy.ATTACH)
                .build();
    }
}
