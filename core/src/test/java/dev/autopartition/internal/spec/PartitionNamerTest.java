package dev.autopartition.internal.spec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.autopartition.Increment;
import dev.autopartition.InvalidSpecException;
import dev.autopartition.SpecField;
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

    @Test
    void patternsCoarserThanTheIncrementAreRefused() {
        assertThatThrownBy(() ->
                        PartitionNamer.checkPattern("{table}_{yyyy}", TableName.of("t"), Increment.parse("1 day")))
                .as("a yearly token cannot tell daily partitions apart")
                .isInstanceOfSatisfying(
                        InvalidSpecException.class, e -> assertThat(e.field()).contains(SpecField.NAMING_PATTERN))
                .hasMessageContaining("'{table}_{yyyy}'")
                .hasMessageContaining("coarser than the increment")
                .hasMessageContaining("Fix: use tokens as fine as the increment, such as {table}_p{yyyyMMdd}");
        assertThatThrownBy(() ->
                        PartitionNamer.checkPattern("{table}_{MMdd}", TableName.of("t"), Increment.parse("1 day")))
                .as("a pattern without the year repeats a year later")
                .isInstanceOf(InvalidSpecException.class);
        assertThatThrownBy(() ->
                        PartitionNamer.checkPattern("{table}_{yyyyMMdd}", TableName.of("t"), Increment.parse("1 hour")))
                .isInstanceOf(InvalidSpecException.class);
        assertThatThrownBy(() -> PartitionNamer.checkPattern(
                        "{table}_{yyyy}_{MM}", TableName.of("t"), Increment.parse("1 week")))
                .isInstanceOf(InvalidSpecException.class);
        assertThatThrownBy(() ->
                        PartitionNamer.checkPattern("{table}_{yyyy}", TableName.of("t"), Increment.parse("1 quarter")))
                .isInstanceOf(InvalidSpecException.class);
    }

    @Test
    void patternsAsFineAsTheIncrementOrFinerAreAccepted() {
        TableName t = TableName.of("t");
        for (String[] ok : new String[][] {
            {"{table}_{yyyy}", "1 year"},
            {"{table}_{yyyy}", "2 years"},
            {"{table}_{yyyy}_{MM}", "1 month"},
            {"{table}_{yyyy}_{MM}", "1 quarter"},
            {"{table}_{yyyy}_w{MM}{dd}", "1 week"},
            {"{table}_{yyyyMMdd}", "1 day"},
            {"{table}_{yyyyMMdd}", "3 days"},
            {"{table}_{yyyyMMdd_HH}", "1 hour"},
            {"{table}_{lower}", "1 day"} // refused later, against the key type
        }) {
            PartitionNamer.checkPattern(ok[0], t, Increment.parse(ok[1]));
        }
    }
}
