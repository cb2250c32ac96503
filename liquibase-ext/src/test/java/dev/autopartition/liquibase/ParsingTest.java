package dev.autopartition.liquibase;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.autopartition.InvalidSpecException;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The small parsers of attribute values. */
class ParsingTest {
    @Test
    void listValues() {
        assertThat(CreatePartitionChange.parseValues("de, at ,ch")).containsExactly("de", "at", "ch");
        assertThat(CreatePartitionChange.parseValues("'x,y', 'it''s'")).containsExactly("x,y", "it's");
        assertThat(CreatePartitionChange.parseValues("' padded '")).containsExactly(" padded ");
        assertThat(CreatePartitionChange.parseValues("42")).containsExactly("42");
        assertThat(CreatePartitionChange.parseValues("'', a")).containsExactly("", "a");
        assertThatThrownBy(() -> CreatePartitionChange.parseValues("'ab'c"))
                .isInstanceOf(InvalidSpecException.class)
                .hasMessageContaining("text after a quoted value");
        assertThatThrownBy(() -> CreatePartitionChange.parseValues("a,"))
                .isInstanceOf(InvalidSpecException.class)
                .hasMessageContaining("empty value");
        assertThatThrownBy(() -> CreatePartitionChange.parseValues("a,,b"))
                .isInstanceOf(InvalidSpecException.class)
                .hasMessageContaining("empty value");
        assertThatThrownBy(() -> CreatePartitionChange.parseValues("'open"))
                .isInstanceOf(InvalidSpecException.class)
                .hasMessageContaining("unclosed quote");
    }

    @Test
    void lockTimeouts() {
        assertThat(Tuning.duration("500")).isEqualTo(Duration.ofMillis(500));
        assertThat(Tuning.duration("500ms")).isEqualTo(Duration.ofMillis(500));
        assertThat(Tuning.duration("2s")).isEqualTo(Duration.ofSeconds(2));
        assertThat(Tuning.duration("2 seconds")).isEqualTo(Duration.ofSeconds(2));
        assertThat(Tuning.duration("1min")).isEqualTo(Duration.ofMinutes(1));
        assertThat(Tuning.duration("PT0.25S")).isEqualTo(Duration.ofMillis(250));
        assertThatThrownBy(() -> Tuning.duration("soon")).hasMessageContaining("does not parse");
        assertThatThrownBy(() -> Tuning.duration("0ms")).hasMessageContaining("must be positive");
    }

    @Test
    void durationsFollowTheOneGrammarOfEveryFrontEnd() {
        assertThat(Tuning.duration("2m"))
                .as("2m is two minutes, as on the command line")
                .isEqualTo(Duration.ofMinutes(2));
        assertThat(Tuning.duration("1h30m")).isEqualTo(Duration.ofMinutes(90));
        assertThat(Tuning.duration("1.5s")).isEqualTo(Duration.ofMillis(1500));
        assertThat(Tuning.duration("2 min", "pause", true)).isEqualTo(Duration.ofMinutes(2));
        assertThatThrownBy(() -> Tuning.duration("2 fortnights"))
                .hasMessageContaining("Lock timeout '2 fortnights' does not parse")
                .hasMessageContaining("Fix: write milliseconds alone (500)");
    }

    @Test
    void foreignKeyKeyColumns() {
        assertThat(MigrateToPartitionedChange.parseKeyColumns("chat_messages_chat_id_fkey=chat_created_at"))
                .containsExactly(java.util.Map.entry("chat_messages_chat_id_fkey", "chat_created_at"));
        assertThat(MigrateToPartitionedChange.parseKeyColumns(" a_fkey = x ,\"Odd, \"\"Name\"\"\"=\"Key At\""))
                .containsExactly(java.util.Map.entry("a_fkey", "x"), java.util.Map.entry("Odd, \"Name\"", "Key At"));
        assertThatThrownBy(() -> MigrateToPartitionedChange.parseKeyColumns("a_fkey"))
                .hasMessageContaining("has no '=' after constraint a_fkey");
        assertThatThrownBy(() -> MigrateToPartitionedChange.parseKeyColumns("a_fkey=x, a_fkey=y"))
                .hasMessageContaining("names constraint a_fkey twice");
        assertThatThrownBy(() -> MigrateToPartitionedChange.parseKeyColumns("a_fkey=, b=y"))
                .hasMessageContaining("has an empty column name");
        assertThatThrownBy(() -> MigrateToPartitionedChange.parseKeyColumns("\"open=x"))
                .hasMessageContaining("unclosed quote");
    }

    @Test
    void pausesMayBeZeroAndTimeoutsMayNot() {
        assertThat(Tuning.duration("0", "pause", true)).isEqualTo(Duration.ZERO);
        assertThat(Tuning.duration("50ms", "pause", true)).isEqualTo(Duration.ofMillis(50));
        assertThatThrownBy(() -> Tuning.duration("0", "cutoverLockTimeout", false))
                .hasMessageContaining("cutoverLockTimeout '0' must be positive");
        assertThatThrownBy(() -> Tuning.duration("later", "pause", true))
                .hasMessageContaining("pause 'later' does not parse");
    }

    @Test
    void booleans() {
        assertThat(Problems.parseBoolean("TRUE")).isTrue();
        assertThat(Problems.parseBoolean("0")).isFalse();
        assertThat(Problems.parseBoolean("maybe")).isNull();
    }

    @Test
    void editDistanceSuggestsTheIntendedAttribute() {
        assertThat(AbstractPartitionChange.distance("retentionDays", "retention"))
                .isLessThan(AbstractPartitionChange.distance("retentionDays", "retentionSchema"));
    }
}
