package dev.autopartition.flyway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.autopartition.AutoPartitionSpec;
import dev.autopartition.InvalidSpecException;
import dev.autopartition.TableName;
import dev.autopartition.testing.PostgresExtension;
import java.util.Map;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.configuration.FluentConfiguration;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Bad input fails before anything changes, with the core's messages. Each case has its own schema: Flyway's history
 * and the migrations' table live there.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class BadInputIT {
    @RegisterExtension
    static final PostgresExtension pg = new PostgresExtension();

    private static FluentConfiguration flyway(String scenario) {
        return Db.flyway(pg, "2022-01-10T15:00:00Z", "classpath:dev/autopartition/flyway/it/bad/" + scenario)
                .schemas("bad_" + scenario);
    }

    private static void assertUnchanged(String scenario) {
        assertThat(Db.relkind(pg, "bad_" + scenario + ".events"))
                .as("V1 ran; events is still the plain table it created")
                .isEqualTo("r");
        assertThat(Db.string(
                        pg,
                        "SELECT count(*) FROM pg_inherits WHERE inhparent = 'bad_" + scenario + ".events'::regclass"))
                .as("no partitions")
                .isEqualTo("0");
        assertThat(Db.string(
                        pg,
                        "SELECT string_agg(version || ':' || success, ',' ORDER BY installed_rank) FROM bad_" + scenario
                                + ".flyway_schema_history WHERE version IS NOT NULL"))
                .as("history: V1 applied, V2 not (or recorded as failed)")
                .isIn("1:true", "1:true,2:false");
    }

    @Test
    @Order(1)
    void anInvalidSpecFailsWhenFlywayResolvesTheMigrationWithTheCoresMessage() {
        String core =
                catchMessage(() -> AutoPartitionSpec.builder(TableName.of("bad_increment", "events"), "created_at")
                        .increment("1 fortnight")
                        .build());
        assertThat(core).as("the core's message").startsWith("Increment '1 fortnight' does not parse. Fix:");

        Flyway flyway = flyway("increment").load();
        assertThatThrownBy(flyway::migrate)
                .as("migrate")
                .satisfies(e -> assertThat(Db.messages(e)).contains(core));
        assertThat(Db.exists(pg, "bad_increment.events"))
                .as("not even V1 ran: the checksum is computed before anything is applied")
                .isFalse();
        assertThatThrownBy(flyway::validate)
                .as("validate reports it too")
                .satisfies(e -> assertThat(Db.messages(e)).contains(core));
    }

    @Test
    @Order(2)
    void aSpecThatDoesNotFitTheTableIsRolledBackWithTheCoresMessage() {
        assertThatThrownBy(() -> flyway("column").load().migrate())
                .as("migrate")
                .satisfies(e -> assertThat(Db.messages(e))
                        .contains(
                                "Column \"createdat\" does not exist in \"bad_column\".\"events\". Fix: use one of its"
                                        + " columns: \"id\", \"created_at\", \"payload\"."));
        assertUnchanged("column");
        assertThat(Db.schemaExists(pg, "autopartition"))
                .as("the engine's catalog, installed in Flyway's transaction, was rolled back with it")
                .isFalse();
    }

    @Test
    @Order(3)
    void anEmptyMigrationIsRefused() {
        assertThatThrownBy(() -> flyway("empty").load().migrate())
                .as("migrate")
                .satisfies(e -> assertThat(Db.messages(e))
                        .contains("Migration dev.autopartition.flyway.it.bad.empty.V2__nothing declares no"
                                + " partitioning changes."));
        assertThat(Db.exists(pg, "bad_empty.events")).as("nothing ran").isFalse();
    }

    @Test
    @Order(4)
    void aBadSettingIsNamed() {
        assertThatThrownBy(() -> flyway("setting")
                        .placeholders(Map.of(
                                "autopartition.now", "2022-01-10T15:00:00Z", "autopartition.lockTimeout", "soon"))
                        .load()
                        .migrate())
                .as("migrate")
                .satisfies(e -> assertThat(Db.messages(e))
                        .contains("Flyway placeholder autopartition.lockTimeout is 'soon', not a duration."));
        assertUnchanged("setting");
    }

    @Test
    @Order(5)
    void dropPartitionOfATableThatIsNoPartitionChangesNothing() {
        assertThatThrownBy(() -> flyway("drop").load().migrate())
                .as("migrate (non-transactional)")
                .satisfies(e -> assertThat(Db.messages(e))
                        .contains("\"bad_drop\".\"events\" is not a partition of any table. Fix: check the schema and"
                                + " the name"));
        assertUnchanged("drop");
    }

    private static String catchMessage(Runnable action) {
        try {
            action.run();
        } catch (InvalidSpecException e) {
            return String.valueOf(e.getMessage());
        }
        throw new AssertionError("expected an InvalidSpecException");
    }
}
