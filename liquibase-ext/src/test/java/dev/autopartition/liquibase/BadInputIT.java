package dev.autopartition.liquibase;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.autopartition.testing.CatalogSnapshot;
import dev.autopartition.testing.PostgresExtension;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Invalid change sets fail validation, before anything runs, each with its own message naming the change set, the
 * attribute, the bad value and the fix; the database is the same afterwards.
 */
class BadInputIT {
    @RegisterExtension
    static final PostgresExtension pg = new PostgresExtension();

    private static final String BAD = "changelogs/bad/bad.yaml";
    private static final String BAD_XML = "changelogs/bad/bad.xml";

    @BeforeAll
    static void tables() {
        Lb lb = new Lb(pg.database());
        lb.update("changelogs/xml/tables.xml");
        lb.update("changelogs/bad/setup.yaml");
    }

    static Stream<Arguments> cases() {
        return Stream.of(
                Arguments.of("missing-table", new String[] {
                    "attribute tableName='no_such_table'", "Table \"public\".\"no_such_table\" does not exist", "Fix:"
                }),
                Arguments.of("unknown-column", new String[] {
                    "attribute columnName='createdat'",
                    "Column \"createdat\" does not exist in \"public\".\"events\"",
                    "Fix: use one of its columns: \"id\", \"created_at\", \"payload\""
                }),
                Arguments.of("bad-increment", new String[] {
                    "attribute increment='1 fortnight'", "Increment '1 fortnight' does not parse", "Fix:"
                }),
                Arguments.of("unknown-retention-action", new String[] {
                    "attribute retentionAction='archive'",
                    "Unknown retention action 'archive'",
                    "Fix: use drop, detach or move"
                }),
                Arguments.of("retention-schema-missing", new String[] {
                    "attribute retentionSchema", "no retention schema is given", "Fix: name the schema"
                }),
                Arguments.of("retention-schema-does-not-exist", new String[] {
                    "attribute retentionSchema='archive'",
                    "Retention schema \"archive\"",
                    "does not exist",
                    "Fix: CREATE SCHEMA"
                }),
                Arguments.of("min-above-max", new String[] {
                    "attribute minimumAdvancePartitions/maximumAdvancePartitions='5/2'",
                    "minimumAdvancePartitions (5)",
                    "is above maximumAdvancePartitions (2)",
                    "Fix: make the minimum at most the maximum"
                }),
                Arguments.of("unknown-attribute", new String[] {
                    "attribute retentionDays", "is not an attribute of autoPartition", "Fix: use retention"
                }),
                Arguments.of("wrong-bound-type", new String[] {
                    "attribute from='2022-01-01'",
                    "The 'from' bound of a partition of \"public\".\"readings\" does not fit key column"
                            + " \"reading_id\""
                }),
                Arguments.of("bad-time-zone", new String[] {
                    "attribute timeZone='Mars/Olympus'", "Time zone 'Mars/Olympus'", "is not known", "Fix:"
                }),
                Arguments.of("increment-does-not-fit-key", new String[] {
                    "attribute increment='1 day'", "Increment '1 day' does not fit column \"reading_id\""
                }),
                Arguments.of("not-a-number", new String[] {
                    "attribute maximumAdvancePartitions='lots'", "is not a whole number", "Fix: write a number"
                }),
                Arguments.of(
                        "two-kinds-of-bounds",
                        new String[] {"gives more than one kind of bounds", "Fix: give exactly one of"}),
                Arguments.of("list-bounds-on-range-table", new String[] {
                    "attribute values='1, 2'",
                    "Cannot create a list partition of \"public\".\"readings\": it is partitioned by RANGE",
                    "Fix:"
                }),
                Arguments.of("overlapping-range", new String[] {
                    "attribute from/to", "overlaps existing partition \"public\".\"readings_0\"", "Fix:"
                }),
                Arguments.of(
                        "not-a-partition",
                        new String[] {"attribute partitionName='events'", "is not a partition of any table", "Fix:"}),
                Arguments.of("wrong-parent", new String[] {
                    "attribute tableName='sessions'",
                    "\"public\".\"readings_0\" is a partition of \"public\".\"readings\", not of"
                            + " \"public\".\"sessions\"",
                    "Fix:"
                }),
                Arguments.of(
                        "bad-hash-slot",
                        new String[] {"attribute modulus/remainder='2/2'", "remainder 2 is invalid", "Fix:"}),
                Arguments.of(
                        "bad-lock-timeout",
                        new String[] {"attribute lockTimeout='soon'", "Lock timeout 'soon' does not parse", "Fix:"}),
                Arguments.of("maintain-unmanaged", new String[] {
                    "attribute tableName='regions'", "has no auto-partition rule", "Fix: declare it with autoPartition"
                }),
                Arguments.of(
                        "nullable-key", new String[] {"attribute columnName='id'", "allows NULL", "Fix: ALTER TABLE"}),
                Arguments.of(
                        "missing-required",
                        new String[] {"attribute columnName: is required", "Fix: name the partition key"}),
                Arguments.of("no-bounds", new String[] {"gives no bounds", "Fix: give exactly one of"}),
                Arguments.of("tier-tablespace-does-not-exist", new String[] {
                    "attribute tierTablespace='nowhere'",
                    "Tier tablespace \"nowhere\" of \"public\".\"events\" does not exist",
                    "Fix: CREATE TABLESPACE"
                }),
                Arguments.of("retention-not-beyond-tiering", new String[] {
                    "attribute tierAfter='60 days'",
                    "Retention '30 days' of \"public\".\"events\" does not exceed tierAfter '60 days'",
                    "Fix: make the retention longer than tierAfter"
                }),
                Arguments.of("a-view", new String[] {
                    "attribute tableName='events_view'", "\"public\".\"events_view\" is a view", "Fix:"
                }),
                Arguments.of("a-materialized-view", new String[] {
                    "attribute tableName='events_daily'",
                    "\"public\".\"events_daily\" is a materialized view",
                    "cannot be partitioned"
                }),
                Arguments.of("the-engines-table", new String[] {
                    "attribute tableName='managed_table'", "one of autopartition's own catalog tables", "Fix:"
                }),
                Arguments.of("coarse-naming-pattern", new String[] {
                    "attribute namingPattern='{table}_{yyyy}'",
                    "coarser than the increment",
                    "Fix: use tokens as fine as the increment"
                }),
                Arguments.of("duration-in-fortnights", new String[] {
                    "attribute lockTimeout='2 fortnights'",
                    "Lock timeout '2 fortnights' does not parse",
                    "Fix: write milliseconds alone (500)"
                }),
                Arguments.of("skip-empty-periods-maybe", new String[] {
                    "attribute skipEmptyPeriods='maybe'", "is not true or false", "Fix: write true or false"
                }),
                Arguments.of("migrate-a-view", new String[] {
                    "attribute tableName='events_view'", "is a view, and migrateToPartitioned works on tables"
                }),
                Arguments.of("migrate-latency-budget-below-one", new String[] {
                    "attribute latencyBudget='0.8'",
                    "latencyBudget of the migration of \"public\".\"events\" is 0.8",
                    "Fix: use 1.5"
                }),
                Arguments.of("migrate-standby-lag-budget-in-fortnights", new String[] {
                    "attribute standbyLagBudget='2 fortnights'",
                    "standbyLagBudget '2 fortnights' is not a duration",
                    "Fix: write milliseconds alone (500)"
                }),
                Arguments.of("autocreate-wrong-type", new String[] {
                    "attribute autocreateExpression",
                    "returns text, which does not fit the timestamp with time zone key \"created_at\"",
                    "Fix: return"
                }));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void failsValidationWithItsOwnMessageAndChangesNothing(String label, String[] fragments) {
        Db db = new Db(pg.database());
        String before = db.snapshot();
        CatalogSnapshot catalog = CatalogSnapshot.of(pg.dataSource());

        Throwable failure = catchThrowable(() -> new Lb(pg.database()).update(BAD, label));

        assertThat(failure).as(label + " fails").isNotNull();
        String message = String.valueOf(failure.getMessage());
        assertThat(message)
                .as("the message of " + label)
                .contains("Validation Failed")
                .contains("in change set " + BAD + "::" + label + "::bob")
                .contains(fragments);
        assertThat(message.split("in change set ", -1))
                .as("only this change set is reported")
                .hasSize(2);
        assertThat(db.snapshot()).as("the database after " + label).isEqualTo(before);
        assertThat(CatalogSnapshot.of(pg.dataSource()).diff(catalog))
                .as("relations, constraints, triggers and the engine's catalog after " + label)
                .isEmpty();
    }

    static Stream<Arguments> xmlCases() {
        return Stream.of(
                Arguments.of("xml-unknown-column", new String[] {
                    "attribute columnName='createdat'", "Column \"createdat\" does not exist", "Fix:"
                }),
                Arguments.of("xml-integer-increment-on-a-time-key", new String[] {
                    "attribute increment='1000'", "Increment '1000' does not fit column \"created_at\"", "Fix:"
                }),
                Arguments.of("xml-a-view", new String[] {"attribute tableName='events_view'", "is a view", "Fix:"}),
                Arguments.of("xml-coarse-naming-pattern", new String[] {
                    "attribute namingPattern='{table}_{yyyyMMdd}'", "coarser than the increment", "Fix:"
                }),
                Arguments.of(
                        "xml-bad-lock-timeout",
                        new String[] {"attribute lockTimeout='soon'", "Lock timeout 'soon' does not parse", "Fix:"}),
                Arguments.of("xml-overlapping-range", new String[] {
                    "attribute from/to", "overlaps existing partition \"public\".\"readings_0\"", "Fix:"
                }),
                Arguments.of(
                        "xml-retention-too-short",
                        new String[] {"attribute retention='10 days'", "shorter than one increment (1 month)", "Fix:"}),
                Arguments.of(
                        "xml-empty-range", new String[] {"attribute from/to", "'from' must be below 'to'", "Fix:"}));
    }

    /** The same refusals from an XML changelog (checked against the XSD first). */
    @ParameterizedTest(name = "{0}")
    @MethodSource("xmlCases")
    void xmlChangeSetsFailValidationToo(String label, String[] fragments) {
        CatalogSnapshot catalog = CatalogSnapshot.of(pg.dataSource());
        Throwable failure = catchThrowable(() -> new Lb(pg.database()).update(BAD_XML, label));
        assertThat(failure).as(label + " fails").isNotNull();
        assertThat(String.valueOf(failure.getMessage()))
                .as("the message of " + label)
                .contains("Validation Failed")
                .contains("in change set " + BAD_XML + "::" + label + "::bob")
                .contains(fragments);
        assertThat(CatalogSnapshot.of(pg.dataSource()).diff(catalog))
                .as("relations, constraints, triggers and the engine's catalog after " + label)
                .isEmpty();
    }

    @Test
    void unknownXmlAttributeFailsTheSchemaCheck() {
        Db db = new Db(pg.database());
        String before = db.snapshot();
        Throwable failure = catchThrowable(() -> new Lb(pg.database()).update("changelogs/bad/unknown-attribute.xml"));
        assertThat(String.valueOf(failure))
                .as("the XSD from the jar rejects the attribute")
                .contains("retentionDays")
                .contains("is not allowed to appear in element 'autopartition:autoPartition'");
        assertThat(db.snapshot()).as("the database").isEqualTo(before);
    }

    @Test
    void missingXmlAttributeFailsTheSchemaCheck() {
        Throwable failure = catchThrowable(() -> new Lb(pg.database()).update("changelogs/bad/missing-attribute.xml"));
        assertThat(String.valueOf(failure))
                .as("the XSD marks columnName required")
                .contains("Attribute 'columnName' must appear on element 'autopartition:autoPartition'");
    }

    @Test
    void unknownXmlAttributeWithoutTheXsdFailsValidation() {
        Throwable failure = catchThrowable(() -> new Lb(pg.database()).update("changelogs/bad/no-schema.xml"));
        assertThat(String.valueOf(failure))
                .as("without the XSD the change itself reports the attribute")
                .contains("unknown-attribute-no-xsd::bob, attribute retentionDays: is not an attribute of"
                        + " autoPartition. Fix: use retention");
    }
}
