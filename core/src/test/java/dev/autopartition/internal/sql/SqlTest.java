package dev.autopartition.internal.sql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.autopartition.InvalidSpecException;
import dev.autopartition.TableName;
import java.time.ZoneId;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class SqlTest {
    @Test
    void quotesEveryIdentifierAndDoublesQuotes() {
        assertThat(Sql.quote("plain")).isEqualTo("\"plain\"");
        assertThat(Sql.quote("My \"odd\" Table")).isEqualTo("\"My \"\"odd\"\" Table\"");
        assertThat(TableName.of("Sales", "order").quoted()).isEqualTo("\"Sales\".\"order\"");
    }

    @Test
    void literalsDoubleSingleQuotesAndKeepBackslashes() {
        assertThat(Sql.literal("it's \\n")).isEqualTo("'it''s \\n'");
    }

    @Test
    void parsesQualifiedNamesLikeSql() {
        assertThat(TableName.parse("Chat_Messages")).isEqualTo(TableName.of("public", "chat_messages"));
        assertThat(TableName.parse("\"My Schema\".\"Tä\"\"ble\"")).isEqualTo(TableName.of("My Schema", "Tä\"ble"));
        assertThatThrownBy(() -> TableName.parse("a.b.c")).isInstanceOf(InvalidSpecException.class);
        assertThatThrownBy(() -> TableName.of("x".repeat(64)))
                .isInstanceOf(InvalidSpecException.class)
                .hasMessageContaining("63");
    }

    @Test
    void truncatesOnCharacterBoundaries() {
        assertThat(Sql.truncateToBytes("ääää", 5)).isEqualTo("ää");
    }

    @Test
    void keyLiteralsMeanTheSameInEverySessionTimeZone() {
        ZoneId berlin = ZoneId.of("Europe/Berlin");
        long value = KeyType.TIMESTAMPTZ.parse("2022-07-01 00:00", berlin);
        assertThat(KeyType.TIMESTAMPTZ.literal(value)).isEqualTo("'2022-06-30 22:00:00+00'::timestamptz");
        assertThat(KeyType.TIMESTAMPTZ.parse("2022-07-01T00:00:00+02:00", ZoneOffset.UTC))
                .isEqualTo(value);
        assertThat(KeyType.TIMESTAMP.literal(KeyType.TIMESTAMP.parse("2022-07-01 10:30:00.5", berlin)))
                .isEqualTo("'2022-07-01 10:30:00.5'::timestamp");
        assertThat(KeyType.DATE.literal(KeyType.DATE.parse("2022-07-01", berlin)))
                .isEqualTo("'2022-07-01'::date");
    }

    @Test
    void parseErrorsSayWhatIsExpected() {
        assertThatThrownBy(() -> KeyType.DATE.parse("yesterday", ZoneOffset.UTC))
                .hasMessageContaining("'yesterday' is not a date value");
        assertThatThrownBy(() -> KeyType.SMALLINT.parse("40000", ZoneOffset.UTC))
                .hasMessageContaining("out of range for smallint");
    }
}
