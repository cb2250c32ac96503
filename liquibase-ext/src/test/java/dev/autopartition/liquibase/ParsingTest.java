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
