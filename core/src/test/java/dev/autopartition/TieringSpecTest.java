package dev.autopartition;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** The tiering and autocreate-expression options are checked when the spec is built, before any database. */
class TieringSpecTest {
    private static final TableName EVENTS = TableName.of("events");

    private static AutoPartitionSpec.Builder daily() {
        return AutoPartitionSpec.builder(EVENTS, "ts").increment("1 day");
    }

    @Test
    void tieringNeedsBothAPeriodAndATablespace() {
        assertThatThrownBy(() -> daily().tierAfter("30 days").build())
                .isInstanceOf(InvalidSpecException.class)
                .hasMessageContaining("\"public\".\"events\"")
                .hasMessageContaining("no tierTablespace is given");
        assertThatThrownBy(() -> daily().tierTablespace("cold").build())
                .isInstanceOf(InvalidSpecException.class)
                .hasMessageContaining("names tablespace cold but no tierAfter period");
        AutoPartitionSpec spec =
                daily().tierAfter("30 days").tierTablespace("cold").build();
        assertThat(spec.tiering()).as("both options set").isTrue();
        assertThat(daily().build().tiering()).as("neither option set").isFalse();
    }

    @Test
    void retentionMustExceedTheTieringPeriod() {
        assertThatThrownBy(() -> daily().tierAfter("90 days")
                        .tierTablespace("cold")
                        .retention("90 days")
                        .build())
                .isInstanceOf(InvalidSpecException.class)
                .hasMessageContaining(
                        "Retention '90 days' of \"public\".\"events\" does not exceed tierAfter '90 days'")
                .hasMessageContaining("Fix: make the retention longer than tierAfter");
        assertThatThrownBy(() -> daily().tierAfter("1 year")
                        .tierTablespace("cold")
                        .retention("6 months")
                        .build())
                .isInstanceOf(InvalidSpecException.class)
                .hasMessageContaining("does not exceed tierAfter '1 year'");
        assertThat(daily().tierAfter("30 days")
                        .tierTablespace("cold")
                        .retention("90 days")
                        .build()
                        .tierAfterInterval())
                .isNotNull();
    }

    @Test
    void integerKeysTierByANumberOfKeyValues() {
        AutoPartitionSpec.Builder ids =
                AutoPartitionSpec.builder(EVENTS, "id").increment("1000").tierTablespace("cold");
        assertThatThrownBy(() -> ids.tierAfter("30 days").build())
                .isInstanceOf(InvalidSpecException.class)
                .hasMessageContaining("tierAfter '30 days' of \"public\".\"events\" is not a whole number");
        assertThatThrownBy(() -> ids.tierAfter("5000").retention("4000").build())
                .isInstanceOf(InvalidSpecException.class)
                .hasMessageContaining("does not exceed tierAfter '5000'");
        assertThat(ids.tierAfter("5000").retention("10000").build().tierAfter()).isEqualTo("5000");
    }

    @Test
    void aTieringPeriodThatDoesNotParseIsNamed() {
        assertThatThrownBy(
                        () -> daily().tierAfter("soon").tierTablespace("cold").build())
                .isInstanceOf(InvalidSpecException.class)
                .hasMessageContaining("tierAfter 'soon' of \"public\".\"events\" does not parse");
        assertThatThrownBy(
                        () -> daily().tierAfter("0 days").tierTablespace("cold").build())
                .isInstanceOf(InvalidSpecException.class)
                .hasMessageContaining("is zero");
    }

    @Test
    void theAutocreateExpressionIsOneExpression() {
        assertThatThrownBy(() ->
                        daily().autocreateExpression("now(); DROP TABLE events").build())
                .isInstanceOf(InvalidSpecException.class)
                .hasMessageContaining("autocreate expression of \"public\".\"events\" contains ';'")
                .hasMessageContaining("now(); DROP TABLE events");
        assertThatThrownBy(() -> daily().autocreateExpression("   ").build())
                .isInstanceOf(InvalidSpecException.class)
                .hasMessageContaining("is empty");
        assertThat(daily().autocreateExpression(" now() + interval '1 day' ")
                        .build()
                        .autocreateExpression())
                .isEqualTo("now() + interval '1 day'");
    }
}
