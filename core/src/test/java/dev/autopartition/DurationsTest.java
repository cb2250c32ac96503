package dev.autopartition;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** One duration grammar for every front end. */
class DurationsTest {
    @Test
    void everyWrittenFormParses() {
        Object[][] cases = {
            {"500", Duration.ofMillis(500)},
            {"500ms", Duration.ofMillis(500)},
            {"500 milliseconds", Duration.ofMillis(500)},
            {"2s", Duration.ofSeconds(2)},
            {"1.5s", Duration.ofMillis(1500)},
            {"10 seconds", Duration.ofSeconds(10)},
            {"2m", Duration.ofMinutes(2)},
            {"2min", Duration.ofMinutes(2)},
            {"2 MINUTES", Duration.ofMinutes(2)},
            {"1h30m", Duration.ofMinutes(90)},
            {"1h 30m", Duration.ofMinutes(90)},
            {"2d", Duration.ofDays(2)},
            {"1 day", Duration.ofDays(1)},
            {"250us", Duration.ofNanos(250_000)},
            {"PT10M", Duration.ofMinutes(10)},
            {"pt0.5s", Duration.ofMillis(500)},
            {"P1D", Duration.ofDays(1)},
            {" 3s ", Duration.ofSeconds(3)},
        };
        for (Object[] c : cases) {
            assertThat(Durations.parse((String) c[0])).as("'%s'", c[0]).isEqualTo(c[1]);
        }
    }

    @Test
    void anythingElseIsRefusedNamingTheOptionAndTheGrammar() {
        for (String bad : new String[] {"", "ms", "2 fortnights", "-5s", "PT-1S", "1h30", "P", "5 s s", "1e3"}) {
            assertThatThrownBy(() -> Durations.parse(bad, SpecField.LOCK_TIMEOUT))
                    .as("'%s'", bad)
                    .isInstanceOfSatisfying(
                            InvalidSpecException.class,
                            e -> assertThat(e.field()).contains(SpecField.LOCK_TIMEOUT))
                    .hasMessageContaining("lockTimeout '" + bad + "' is not a duration")
                    .hasMessageContaining("Fix: write milliseconds alone (500)");
        }
    }

    @Test
    void formatIsShortForPeople() {
        assertThat(Durations.format(Duration.ofMillis(450))).isEqualTo("450 ms");
        assertThat(Durations.format(Duration.ofSeconds(185))).isEqualTo("3m 05s");
        assertThat(Durations.format(Duration.ofMinutes(123))).isEqualTo("2h 03m");
    }
}
