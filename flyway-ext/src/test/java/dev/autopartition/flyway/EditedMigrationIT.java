package dev.autopartition.flyway;

import static org.assertj.core.api.Assertions.assertThat;

import dev.autopartition.testing.PostgresExtension;
import org.flywaydb.core.api.output.ValidateResult;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** A migration edited after it ran is reported by validate; tuning it is not. */
class EditedMigrationIT {
    @RegisterExtension
    static final PostgresExtension pg = new PostgresExtension();

    private static final String NOW = "2022-01-10T15:00:00Z";
    private static final String COMMON = "classpath:dev/autopartition/flyway/it/edit/common";
    private static final String BASE = "classpath:dev/autopartition/flyway/it/edit/";

    private static ValidateResult validate(String version) {
        return Db.flyway(pg, NOW, COMMON, BASE + version).load().validateWithResult();
    }

    @Test
    void validateReportsAnEditedSpecButNotTuning() {
        Db.flyway(pg, NOW, COMMON, BASE + "original").load().migrate();

        assertThat(validate("original").validationSuccessful)
                .as("unchanged migration validates")
                .isTrue();

        ValidateResult changed = validate("changed");
        assertThat(changed.validationSuccessful)
                .as("retention edited from 30 to 60 days after the migration ran")
                .isFalse();
        assertThat(changed.getAllErrorMessages())
                .as("Flyway names the edited migration")
                .contains("checksum mismatch")
                .contains("migration version 2");

        ValidateResult tuned = validate("tuned");
        assertThat(tuned.validationSuccessful)
                .as("a lock timeout override and '1 days' for '1 day' change nothing: " + tuned.getAllErrorMessages())
                .isTrue();
    }

    @Test
    void aRepeatableMigrationIsAppliedAgainWhenItsSpecChanges() {
        String repeatable = "classpath:dev/autopartition/flyway/it/repeatable/";
        assertThat(Db.flyway(pg, NOW, COMMON, repeatable + "v1")
                        .schemas("repeatable")
                        .load()
                        .migrate()
                        .migrationsExecuted)
                .as("V1 and the repeatable rule")
                .isEqualTo(2);
        assertThat(retention()).as("declared").isEqualTo("30 days");

        assertThat(Db.flyway(pg, NOW, COMMON, repeatable + "v1")
                        .schemas("repeatable")
                        .load()
                        .migrate()
                        .migrationsExecuted)
                .as("unchanged: not applied again")
                .isZero();

        assertThat(Db.flyway(pg, NOW, COMMON, repeatable + "v2")
                        .schemas("repeatable")
                        .load()
                        .migrate()
                        .migrationsExecuted)
                .as("edited spec: applied again")
                .isEqualTo(1);
        assertThat(retention()).as("the rule was altered").isEqualTo("60 days");
    }

    private static String retention() {
        return String.valueOf(Db.string(
                pg,
                "SELECT retention FROM autopartition.managed_table WHERE schema_name = 'repeatable'"
                        + " AND table_name = 'events'"));
    }
}
