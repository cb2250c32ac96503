package dev.autopartition.flyway.it.repeatable.v1;

import dev.autopartition.AutoPartitionSpec;
import dev.autopartition.TableName;
import dev.autopartition.flyway.AutoPartitionMigration;

/** A repeatable migration: Flyway applies it again whenever its checksum, that is the spec, changes. */
public class R__events_rule extends AutoPartitionMigration {
    @Override
    protected AutoPartitionSpec spec() {
        return AutoPartitionSpec.builder(TableName.of("repeatable", "events"), "created_at")
                .increment("1 day")
                .retention("30 days")
                .build();
    }
}
