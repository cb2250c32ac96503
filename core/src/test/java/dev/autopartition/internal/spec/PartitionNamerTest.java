package dev.autopartition.internal.spec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.autopartition.Increment;
import dev.autopartition.InvalidSpecException;
import dev.autopartition.TableName;
import dev.autopartition.internal.sql.KeyType;
import dev.autopartition.internal.sql.Sql;
import java.time.LocalDateTime;
import java.util.Set;
import org.junit.jupiter.api.Test;

class PartitionNamerTest {
    private static final LocalDateTime JAN_10 = LocalDateTime.of(2022, 1, 10, 0, 0);

    @Test
    void defaultPatternsFollowTheIncrement() {
        assertThat(new PartitionNamer(null, "t", KeyType.DATE, Increment.parse("1 day")).name(0, JAN_10, n -> false))
                .isEqualTo("t_p20220110");
        assertThat(new PartitionNamer(null, "t", KeyType.DATE, Increment.parse("1 month")).name(0, JAN_10, n -> false))
                .isEqualTo("t_p202201");
        assertThat(new PartitionNamer(null, "t", KeyType.TIMESTAMPTZ, Increment.parse("1 hour"))
                        .name(0, JAN_10.withHour(13), n -> false))
                .isEqualTo("t_p20220110_1300");
        assertThat(new PartitionNamer(null, "t", KeyType.BIGINT, Increment.parse("1000")).name(5000, null, n -> false))
                .isEqualTo("t_p5000");
    }

    @Test
    void longNamesAreShortenedDeterministicallyWithinSixtyThreeBytes() {
        String base = "ä".repeat(31); // 62 bytes
        PartitionNamer namer = new PartitionNamer(null, base, KeyType.DATE, Increment.parse("1 day"));
        String first = namer.name(0, JAN_10, n -> false);
        String again = namer.name(0, JAN_10, n -> false);
        assertThat(Sql.byteLength(first)).as("bytes").isLessThanOrEqualTo(63);
        assertThat(first).as("same every time").isEqualTo(again).endsWith("_p20220110");
        String other = new PartitionNamer(null, "ä".repeat(30) + "b", KeyType.DATE, Increment.parse("1 day"))
                .name(0, JAN_10, n -> false);
        assertThat(other)
                .as("two long tables with the same prefix do not collide")
                .isNotEqualTo(first);
    }

    @Test
    void takenNamesGetASuffix() {
        PartitionNamer namer = new PartitionNamer(null, "t", KeyType.DATE, Increment.parse("1 day"));
        assertThat(namer.name(0, JAN_10, Set.of("t_p20220110", "t_p20220110_2")::contains))
                .isEqualTo("t_p20220110_3");
        assertThat(namer.defaultName(Set.of("t_default")::contains)).isEqualTo("t_default_2");
    }

    @Test
    void customPatterns() {
        PartitionNamer namer =
                new PartitionNamer("{table}_{yyyy}_{MM}", "Events", KeyType.DATE, Increment.parse("1 month"));
        assertThat(namer.name(0, JAN_10, n -> false)).isEqualTo("Events_2022_01");
        assertThatThrownBy(() -> PartitionNamer.checkPattern("{table}_static", TableName.of("t")))
                .isInstanceOf(InvalidSpecException.class)
                .hasMessageContaining("no token for the partition's bound");
        assertThatThrownBy(() -> PartitionNamer.checkPattern("{table}_{bogus}", TableName.of("t")))
                .isInstanceOf(InvalidSpecException.class)
                .hasMessageContaining("{bogus}");
    }
}
