package dev.autopartition.flyway;

import static org.assertj.core.api.Assertions.assertThat;

import dev.autopartition.AutoPartitionSpec;
import dev.autopartition.MigrationSpec;
import dev.autopartition.MigrationStrategy;
import dev.autopartition.TableName;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The checksum of a migration to a partitioned table: what the table ends up as, and not the tuning. */
class MigrateChecksumTest {
    private static MigrationSpec.Builder base() {
        return MigrationSpec.builder(AutoPartitionSpec.builder(TableName.of("chats"), "created_at")
                .increment("1 day")
                .build());
    }

    /** A migration of the spec a test gives. */
    static final class V1__migrate extends MigrateToPartitionedMigration {
        private final MigrationSpec spec;

        V1__migrate(MigrationSpec.Builder spec) {
            this.spec = spec.build();
        }

        @Override
        protected MigrationSpec spec() {
            return spec;
        }
    }

    private static int checksum(MigrationSpec.Builder spec) {
        return new V1__migrate(spec).getChecksum();
    }

    @Test
    void theCanonicalTextIsStableAndTheMigrationIsNotTransactional() {
        V1__migrate migration =
                new V1__migrate(base().foreignKeyKeyColumn("chat_messages_chat_id_fkey", "chat_created_at"));
        assertThat(migration.canonical())
                .as("canonical text (changing it changes every user's checksums)")
                .isEqualTo("""
                        autopartition-flyway/1
                        migrateToPartitioned
                        table="public"."chats"
                        column=created_at
                        increment=1 day
                        timeZone=UTC
                        minimumAdvancePartitions=2
                        maximumAdvancePartitions=5
                        retentionAction=DROP
                        defaultPartition=false
                        enabled=true
                        strategy=COPY
                        cutover=true
                        foreignKeyKeyColumn=chat_messages_chat_id_fkey=chat_created_at""");
        assertThat(migration.canExecuteInTransaction())
                .as("commits every copy batch")
                .isFalse();
    }

    @Test
    void theTuningIsLeftOut() {
        assertThat(checksum(base().batchSize(17)
                        .parallelism(8)
                        .pause(Duration.ofMillis(20))
                        .cutoverLockTimeout(Duration.ofSeconds(2))
                        .cutoverAttempts(3)
                        .pacing(false)
                        .latencyBudget(3)
                        .latencyFloor(Duration.ofMillis(10))
                        .standbyLagBudget(Duration.ofSeconds(5))))
                .as("batchSize, parallelism, pause, cutoverLockTimeout, cutoverAttempts and the pacing budgets")
                .isEqualTo(checksum(base()));
    }

    @Test
    void whatTheTableEndsUpAsIsIn() {
        List<Integer> variants = List.of(
                checksum(base()),
                checksum(MigrationSpec.builder(AutoPartitionSpec.builder(TableName.of("chats"), "created_at")
                        .increment("1 week")
                        .build())),
                checksum(MigrationSpec.builder(AutoPartitionSpec.builder(TableName.of("chats"), "created_at")
                        .increment("1 day")
                        .retention("30 days")
                        .build())),
                checksum(base().strategy(MigrationStrategy.ATTACH)),
                checksum(base().cutover(false)),
                checksum(base().foreignKeyKeyColumn("fk", "chat_created_at")),
                checksum(base().foreignKeyKeyColumn("fk", "other")),
                new ChecksumTest.V1__declared(
                                p -> p.migrateToPartitioned(base()).maintain())
                        .getChecksum());
        Set<Integer> distinct = new HashSet<>(variants);
        assertThat(distinct).as("one distinct checksum per variant").hasSize(variants.size());
    }

    @Test
    void theDslAndTheBaseClassAgree() {
        V1__migrate base = new V1__migrate(base());
        ChecksumTest.V1__declared dsl = new ChecksumTest.V1__declared(p -> p.migrateToPartitioned(base()));
        assertThat(dsl.getChecksum()).isEqualTo(base.getChecksum());
    }
}
