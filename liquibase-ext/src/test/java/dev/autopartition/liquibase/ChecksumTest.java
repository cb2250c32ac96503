package dev.autopartition.liquibase;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.Map;
import liquibase.ChecksumVersion;
import liquibase.changelog.ChangeLogParameters;
import liquibase.changelog.ChangeSet;
import liquibase.changelog.DatabaseChangeLog;
import liquibase.parser.ChangeLogParserFactory;
import liquibase.resource.ClassLoaderResourceAccessor;
import liquibase.resource.ResourceAccessor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Checksums: the same in XML, YAML and JSON (and on every Liquibase version), and blind to tuning attributes. */
class ChecksumTest {

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"xml", "yaml", "json"})
    void everyFormatHasTheSameChecksums(String format) throws Exception {
        String path = "changelogs/" + format + "/partitioning." + format;
        ResourceAccessor accessor = new ClassLoaderResourceAccessor();
        DatabaseChangeLog changelog = ChangeLogParserFactory.getInstance()
                .getParser(path, accessor)
                .parse(path, new ChangeLogParameters(), accessor);
        Map<String, String> checksums = new LinkedHashMap<>();
        for (ChangeSet changeSet : changelog.getChangeSets()) {
            checksums.put(
                    changeSet.getId(),
                    changeSet.generateCheckSum(ChecksumVersion.latest()).toString());
        }
        assertThat(checksums)
                .as("checksums of " + path + " (the integration tests find the same values in DATABASECHANGELOG)")
                .containsExactlyEntriesOf(ChangeLogScenario.CHECKSUMS);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"xml", "yaml", "json"})
    void migrationsHaveTheSameChecksumsInEveryFormat(String format) throws Exception {
        String path = "changelogs/migrate/chat." + format;
        ResourceAccessor accessor = new ClassLoaderResourceAccessor();
        DatabaseChangeLog changelog = ChangeLogParserFactory.getInstance()
                .getParser(path, accessor)
                .parse(path, new ChangeLogParameters(), accessor);
        Map<String, String> checksums = new LinkedHashMap<>();
        for (ChangeSet changeSet : changelog.getChangeSets()) {
            checksums.put(
                    changeSet.getId(),
                    changeSet.generateCheckSum(ChecksumVersion.latest()).toString());
        }
        assertThat(checksums)
                .as("checksums of " + path + " (YAML gives foreignKeyKeyColumns as a map, JSON as a list)")
                .containsExactlyInAnyOrderEntriesOf(MigrateScenario.CHECKSUMS);
    }

    @Test
    void migrationTuningIsNotPartOfTheChecksum() {
        MigrateToPartitionedChange plain = migration();
        MigrateToPartitionedChange tuned = migration();
        tuned.setBatchSize("500");
        tuned.setPause("1s");
        tuned.setCutoverLockTimeout("2s");
        tuned.setCutoverAttempts("99");
        tuned.setLockTimeout("3s");
        tuned.setAttempts("9");
        tuned.setPacing("false");
        tuned.setLatencyBudget("3");
        tuned.setLatencyFloor("10ms");
        tuned.setStandbyLagBudget("5s");
        assertThat(tuned.generateCheckSum())
                .as("batchSize, pause, cutoverLockTimeout, cutoverAttempts, lockTimeout, attempts and the pacing"
                        + " budgets")
                .isEqualTo(plain.generateCheckSum());
        MigrateToPartitionedChange later = migration();
        later.setCutover("false");
        assertThat(later.generateCheckSum())
                .as("cutover changes what the change set leaves behind")
                .isNotEqualTo(plain.generateCheckSum());
        MigrateToPartitionedChange widened = migration();
        widened.setForeignKeyKeyColumns("chat_messages_chat_id_fkey=chat_created_at");
        assertThat(widened.generateCheckSum()).isNotEqualTo(plain.generateCheckSum());
    }

    private static MigrateToPartitionedChange migration() {
        MigrateToPartitionedChange change = new MigrateToPartitionedChange();
        change.setTableName("chats");
        change.setColumnName("created_at");
        change.setIncrement("1 day");
        change.setRetention("30 days");
        return change;
    }

    @Test
    void tuningAttributesAreNotPartOfTheChecksum() {
        AutoPartitionChange plain = rule();
        AutoPartitionChange tuned = rule();
        tuned.setLockTimeout("3s");
        tuned.setAttempts("9");
        tuned.setBatchSize("100");
        assertThat(tuned.generateCheckSum())
                .as("lockTimeout, attempts and batchSize do not change the schema, nor the checksum")
                .isEqualTo(plain.generateCheckSum());

        AutoPartitionChange longer = rule();
        longer.setRetention("60 days");
        assertThat(longer.generateCheckSum())
                .as("an option that changes the result changes the checksum")
                .isNotEqualTo(plain.generateCheckSum());

        CreatePartitionChange partition = new CreatePartitionChange();
        partition.setTableName("events");
        partition.setFrom("2022-01-01");
        partition.setTo("2022-02-01");
        CreatePartitionChange tunedPartition = new CreatePartitionChange();
        tunedPartition.setTableName("events");
        tunedPartition.setFrom("2022-01-01");
        tunedPartition.setTo("2022-02-01");
        tunedPartition.setLockTimeout("5s");
        assertThat(tunedPartition.generateCheckSum()).isEqualTo(partition.generateCheckSum());
    }

    @Test
    void tieringAndTheAutocreateExpressionArePartOfTheChecksum() {
        AutoPartitionChange plain = rule();
        AutoPartitionChange tiered = rule();
        tiered.setTierAfter("7 days");
        tiered.setTierTablespace("cold");
        assertThat(tiered.generateCheckSum())
                .as("tierAfter and tierTablespace decide where partitions end up")
                .isNotEqualTo(plain.generateCheckSum());
        AutoPartitionChange elsewhere = rule();
        elsewhere.setTierAfter("7 days");
        elsewhere.setTierTablespace("archive");
        assertThat(elsewhere.generateCheckSum()).isNotEqualTo(tiered.generateCheckSum());
        AutoPartitionChange ahead = rule();
        ahead.setAutocreateExpression("now() + interval '7 days'");
        assertThat(ahead.generateCheckSum())
                .as("the autocreate expression decides which partitions exist")
                .isNotEqualTo(plain.generateCheckSum());
    }

    private static AutoPartitionChange rule() {
        AutoPartitionChange change = new AutoPartitionChange();
        change.setTableName("events");
        change.setColumnName("created_at");
        change.setIncrement("1 day");
        change.setRetention("30 days");
        return change;
    }
}
