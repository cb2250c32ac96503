package dev.autopartition.flyway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.autopartition.AutoPartitionSpec;
import dev.autopartition.InvalidSpecException;
import dev.autopartition.PartitionBounds;
import dev.autopartition.RetentionAction;
import dev.autopartition.TableName;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/** Checksums come from the declared changes: every option that shapes the result, and nothing else. */
class ChecksumTest {
    private static AutoPartitionSpec.Builder base() {
        return AutoPartitionSpec.builder(TableName.of("app", "events"), "created_at")
                .increment("1 day");
    }

    /** A migration declaring whatever a test says. */
    static class V1__declared extends PartitioningMigration {
        private final Consumer<Partitioning> declare;

        V1__declared(Consumer<Partitioning> declare) {
            this.declare = declare;
        }

        @Override
        protected void partitioning(Partitioning partitioning) {
            declare.accept(partitioning);
        }
    }

    /** The same, with a lock timeout. */
    static final class V1__tuned extends V1__declared {
        V1__tuned(Consumer<Partitioning> declare) {
            super(declare);
        }

        @Override
        protected Duration lockTimeout() {
            return Duration.ofSeconds(5);
        }
    }

    private static PartitioningMigration migration(Consumer<Partitioning> declare) {
        return new V1__declared(declare);
    }

    private static int checksum(AutoPartitionSpec.Builder spec) {
        return migration(p -> p.autoPartition(spec)).getChecksum();
    }

    @Test
    void theCanonicalTextAndChecksumAreStable() {
        PartitioningMigration migration = migration(p -> p.autoPartition(base().retention("90 days")));
        assertThat(migration.canonical())
                .as("canonical text (changing it changes every user's checksums)")
                .isEqualTo("""
                        autopartition-flyway/1
                        autoPartition
                        table="app"."events"
                        column=created_at
                        increment=1 day
                        timeZone=UTC
                        minimumAdvancePartitions=2
                        maximumAdvancePartitions=5
                        retention=90 days
                        retentionAction=DROP
                        defaultPartition=false
                        enabled=true""");
        assertThat(migration.getChecksum())
                .as("CRC32 of it (computed independently)")
                .isEqualTo(1_517_669_777);
    }

    @Test
    void everyOptionOfTheSpecChangesTheChecksum() {
        List<AutoPartitionSpec.Builder> variants = List.of(
                base(),
                AutoPartitionSpec.builder(TableName.of("app", "events2"), "created_at")
                        .increment("1 day"),
                AutoPartitionSpec.builder(TableName.of("other", "events"), "created_at")
                        .increment("1 day"),
                AutoPartitionSpec.builder(TableName.of("app", "events"), "updated_at")
                        .increment("1 day"),
                base().increment("1 week"),
                base().initialLowerBound("2022-01-01"),
                base().timeZone("Europe/Berlin"),
                base().minimumAdvancePartitions(3),
                base().maximumAdvancePartitions(7),
                base().retention("30 days"),
                base().retention("30 days").retentionAction(RetentionAction.DETACH),
                base().retention("30 days")
                        .retentionAction(RetentionAction.MOVE)
                        .retentionSchema("archive"),
                base().defaultPartition(true),
                base().namingPattern("{table}_{yyyyMMdd}"),
                base().enabled(false),
                base().tierAfter("30 days").tierTablespace("cold"),
                base().tierAfter("60 days").tierTablespace("cold"),
                base().tierAfter("30 days").tierTablespace("archive"),
                base().autocreateExpression("now() + interval '7 days'"));
        Set<Integer> checksums = new HashSet<>();
        variants.forEach(v -> checksums.add(checksum(v)));
        assertThat(checksums).as("one distinct checksum per variant").hasSize(variants.size());
    }

    @Test
    void equivalentSpellingsAndTuningDoNotChangeIt() {
        assertThat(checksum(base().increment("1 days")))
                .as("'1 days' is '1 day'")
                .isEqualTo(checksum(base()));
        assertThat(checksum(base().timeZone(" UTC "))).as("zone trimmed").isEqualTo(checksum(base()));
        PartitioningMigration tuned = new V1__tuned(p -> p.autoPartition(base()));
        assertThat(tuned.getChecksum()).as("lock timeout is tuning").isEqualTo(checksum(base()));
    }

    @Test
    void otherChangesHaveTheirOwnChecksums() {
        TableName log = TableName.of("audit_log");
        List<PartitioningMigration> migrations = List.of(
                migration(p -> p.createPartition(log, PartitionBounds.range("0", "10"))),
                migration(p -> p.createPartition(log, PartitionBounds.range("0", "20"))),
                migration(p -> p.createPartition(log, "audit_log_a", PartitionBounds.range("0", "10"))),
                migration(p -> p.createPartition(log, PartitionBounds.values("a", "b"))),
                migration(p -> p.createPartition(log, PartitionBounds.values("a"))),
                migration(p -> p.createPartition(log, PartitionBounds.hash(4, 0))),
                migration(p -> p.createPartition(log, PartitionBounds.hash(4, 1))),
                migration(p -> p.createPartition(log, PartitionBounds.defaultPartition())),
                migration(p -> p.dropAutoPartition(log)),
                migration(p -> p.dropPartition(log)),
                migration(Partitioning::maintain),
                migration(p -> p.maintain(log)),
                migration(p -> p.dropPartition(log).maintain()),
                migration(p -> p.maintain().dropPartition(log)));
        Set<Integer> checksums = new HashSet<>();
        migrations.forEach(m -> checksums.add(m.getChecksum()));
        assertThat(checksums).as("distinct, and order matters").hasSize(migrations.size());
    }

    @Test
    void anInvalidSpecFailsWhenTheChecksumIsComputed() {
        PartitioningMigration migration = migration(p -> p.autoPartition(base().minimumAdvancePartitions(0)));
        assertThatThrownBy(migration::getChecksum)
                .as("validated by the core's builder")
                .isInstanceOf(InvalidSpecException.class)
                .hasMessageStartingWith("minimumAdvancePartitions of \"app\".\"events\" is 0; it must be at least 1.");
    }
}
