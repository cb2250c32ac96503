package dev.autopartition.flyway;

import static org.assertj.core.api.Assertions.assertThat;

import dev.autopartition.AutoPartition;
import dev.autopartition.TableStatus;
import dev.autopartition.flyway.it.operations.V2__partition_chat_messages;
import dev.autopartition.flyway.it.operations.V3__partition_metrics;
import dev.autopartition.flyway.it.operations.V4__audit_log_partitions;
import dev.autopartition.flyway.it.operations.V5__retire_audit_log_2021;
import dev.autopartition.flyway.it.operations.V6__stop_managing_metrics;
import dev.autopartition.flyway.it.operations.V7__maintain;
import dev.autopartition.testing.PostgresExtension;
import java.util.Arrays;
import java.util.List;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.MigrationInfo;
import org.flywaydb.core.api.MigrationState;
import org.flywaydb.core.api.output.MigrateResult;
import org.flywaydb.core.api.output.ValidateResult;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Every partitioning change as a Java migration, run by Flyway with its default settings, then info and validate. */
class FlywayOperationsIT {
    @RegisterExtension
    static final PostgresExtension pg = new PostgresExtension();

    private static final String LOCATION = "classpath:dev/autopartition/flyway/it/operations";

    @Test
    void everyChangeRunsAsAJavaMigrationAndValidatesAfterwards() {
        Flyway flyway = Db.flyway(pg, "2022-01-10T15:00:00Z", LOCATION).load();

        MigrateResult result = flyway.migrate();

        assertThat(result.migrationsExecuted).as("migrations applied").isEqualTo(7);
        assertThat(Db.partitions(pg, "chat_messages"))
                .as("autoPartition: today and up to 3 days ahead, in Flyway's transaction")
                .containsExactly(
                        "chat_messages_p20220110: FOR VALUES FROM ('2022-01-10 00:00:00+00') TO ('2022-01-11 00:00:00+00')",
                        "chat_messages_p20220111: FOR VALUES FROM ('2022-01-11 00:00:00+00') TO ('2022-01-12 00:00:00+00')",
                        "chat_messages_p20220112: FOR VALUES FROM ('2022-01-12 00:00:00+00') TO ('2022-01-13 00:00:00+00')",
                        "chat_messages_p20220113: FOR VALUES FROM ('2022-01-13 00:00:00+00') TO ('2022-01-14 00:00:00+00')");
        assertThat(Db.relkind(pg, "metrics"))
                .as("autoPartition with a builder turned the empty plain table into a partitioned one")
                .isEqualTo("p");
        assertThat(Db.partitions(pg, "metrics"))
                .as("integer key: the partition holding the largest key (none yet: 0) and up to 2 ahead")
                .containsExactly(
                        "metrics_p0: FOR VALUES FROM ('0') TO ('100000')",
                        "metrics_p100000: FOR VALUES FROM ('100000') TO ('200000')",
                        "metrics_p200000: FOR VALUES FROM ('200000') TO ('300000')");
        assertThat(Db.partitions(pg, "audit_log"))
                .as("createPartition made 2021 and 2022; dropPartition detached and dropped 2021")
                .containsExactly("audit_log_2022: FOR VALUES FROM ('1000000') TO ('2000000')");
        assertThat(Db.exists(pg, "audit_log_2021"))
                .as("dropped, not only detached")
                .isFalse();
        assertThat(Db.partitions(pg, "tenant_settings"))
                .as("list and default partitions named from their values")
                .containsExactly(
                        "tenant_settings_acme: FOR VALUES IN ('acme', 'globex')", "tenant_settings_default: DEFAULT");
        List<TableStatus> managed =
                AutoPartition.configure(pg.dataSource()).build().status();
        assertThat(managed)
                .as("dropAutoPartition removed the rule of metrics; its partitions stay")
                .extracting(s -> s.table().name())
                .containsExactly("chat_messages");
        assertThat(Db.partitionNames(pg, "metrics"))
                .as("partitions of metrics kept")
                .hasSize(3);

        MigrationInfo[] applied = flyway.info().applied();
        assertThat(applied).as("history").hasSize(7);
        assertThat(Arrays.stream(applied).map(MigrationInfo::getState))
                .as("states")
                .containsOnly(MigrationState.SUCCESS);
        assertThat(Arrays.stream(applied).skip(1).map(MigrationInfo::getChecksum))
                .as("the checksums Flyway recorded are the ones computed from the declared changes")
                .containsExactly(
                        new V2__partition_chat_messages().getChecksum(),
                        new V3__partition_metrics().getChecksum(),
                        new V4__audit_log_partitions().getChecksum(),
                        new V5__retire_audit_log_2021().getChecksum(),
                        new V6__stop_managing_metrics().getChecksum(),
                        new V7__maintain().getChecksum());
        assertThat(Arrays.stream(applied).skip(1).map(MigrationInfo::getDescription))
                .as("descriptions from the class names")
                .containsExactly(
                        "partition chat messages",
                        "partition metrics",
                        "audit log partitions",
                        "retire audit log 2021",
                        "stop managing metrics",
                        "maintain");
        assertThat(List.of(
                        new V2__partition_chat_messages().canExecuteInTransaction(),
                        new V3__partition_metrics().canExecuteInTransaction(),
                        new V4__audit_log_partitions().canExecuteInTransaction(),
                        new V5__retire_audit_log_2021().canExecuteInTransaction(),
                        new V6__stop_managing_metrics().canExecuteInTransaction(),
                        new V7__maintain().canExecuteInTransaction()))
                .as("only dropPartition and maintain run outside Flyway's transaction")
                .containsExactly(true, true, true, false, true, false);

        ValidateResult validate = flyway.validateWithResult();
        assertThat(validate.validationSuccessful)
                .as("validate after migrate: " + validate.getAllErrorMessages())
                .isTrue();
        assertThat(flyway.migrate().migrationsExecuted)
                .as("nothing left to apply")
                .isZero();
    }
}
