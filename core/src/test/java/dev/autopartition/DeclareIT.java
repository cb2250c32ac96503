package dev.autopartition;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.autopartition.testing.PostgresExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Declaring a rule: adopting existing partitions, converting an empty plain table, altering and dropping it. */
class DeclareIT {
    @RegisterExtension
    static final PostgresExtension pg = new PostgresExtension();

    private static AutoPartition engine() {
        return AutoPartition.configure(pg.dataSource())
                .clock(new Fixtures.MovableClock("2022-01-10T12:00:00Z"))
                .build();
    }

    @Test
    void adoptsThePartitionsOfAnExistingPartitionedTableAndContinuesTheirGrid() {
        pg.execute(
                "CREATE TABLE adopted (ts timestamptz NOT NULL) PARTITION BY RANGE (ts)",
                "CREATE TABLE adopted_jan09 PARTITION OF adopted FOR VALUES FROM ('2022-01-09 00:00+00') TO"
                        + " ('2022-01-10 00:00+00')",
                "CREATE TABLE adopted_jan10 PARTITION OF adopted FOR VALUES FROM ('2022-01-10 00:00+00') TO"
                        + " ('2022-01-11 00:00+00')");
        TableReport report = engine().autoPartition(AutoPartitionSpec.builder(TableName.of("adopted"), "ts")
                .increment("1 day")
                .maximumAdvancePartitions(2)
                .build());
        assertThat(report.created()).containsExactly("adopted_p20220111", "adopted_p20220112");
        assertThat(Fixtures.strings(
                        pg,
                        "SELECT partition_name || ':' || source FROM autopartition.managed_partition"
                                + " WHERE partition_name LIKE 'adopted%' ORDER BY 1"))
                .containsExactly(
                        "adopted_jan09:adopted",
                        "adopted_jan10:adopted",
                        "adopted_p20220111:created",
                        "adopted_p20220112:created");
    }

    @Test
    void turnsAnEmptyPlainTableIntoAPartitionedOneKeepingItsDefinition() {
        pg.execute(
                "CREATE ROLE reader_role",
                """
                CREATE TABLE chats (id bigserial PRIMARY KEY, created_at timestamptz NOT NULL DEFAULT now())""",
                """
                CREATE TABLE messages (
                  id bigserial PRIMARY KEY,
                  created_at timestamptz NOT NULL DEFAULT now(),
                  chat_id bigint NOT NULL REFERENCES chats (id),
                  body text NOT NULL DEFAULT 'hello' CHECK (length(body) < 1000),
                  UNIQUE (chat_id, created_at))""",
                "CREATE INDEX messages_chat_idx ON messages (chat_id) WHERE body <> ''",
                "COMMENT ON TABLE messages IS 'chat messages'",
                "COMMENT ON COLUMN messages.body IS 'the text'",
                "GRANT SELECT, INSERT ON messages TO reader_role",
                "INSERT INTO chats DEFAULT VALUES",
                "SELECT nextval('messages_id_seq')");
        AutoPartition ap = engine();
        Plan plan = ap.planAutoPartition(spec());
        assertThat(plan.toSql())
                .as("dry run")
                .contains(
                        "PARTITION BY RANGE (\"created_at\")",
                        "primary key \"messages_pkey\" gains the partition key \"created_at\"");
        assertThat(Fixtures.string(pg, "SELECT relkind::text FROM pg_class WHERE relname = 'messages'"))
                .as("the dry run changed nothing")
                .isEqualTo("r");

        ap.autoPartition(spec());

        assertThat(Fixtures.string(pg, "SELECT relkind::text FROM pg_class WHERE relname = 'messages'"))
                .isEqualTo("p");
        assertThat(Fixtures.strings(
                        pg,
                        "SELECT conname || ' ' || pg_get_constraintdef(oid) FROM pg_constraint"
                                + " WHERE conrelid = 'messages'::regclass AND contype <> 'n' ORDER BY conname"))
                .containsExactly(
                        "messages_body_check CHECK ((length(body) < 1000))",
                        "messages_chat_id_created_at_key UNIQUE (chat_id, created_at)",
                        "messages_chat_id_fkey FOREIGN KEY (chat_id) REFERENCES chats(id)",
                        "messages_pkey PRIMARY KEY (id, created_at)");
        assertThat(Fixtures.string(pg, "SELECT pg_get_indexdef('messages_chat_idx'::regclass)"))
                .isEqualTo("CREATE INDEX messages_chat_idx ON ONLY public.messages USING btree (chat_id)"
                        + " WHERE (body <> ''::text)");
        assertThat(Fixtures.string(
                        pg,
                        "SELECT obj_description('messages'::regclass, 'pg_class') || ' / '"
                                + " || col_description('messages'::regclass, 4)"))
                .isEqualTo("chat messages / the text");
        assertThat(Fixtures.string(pg, "SELECT has_table_privilege('reader_role', 'messages', 'INSERT')::text"))
                .isEqualTo("true");
        pg.execute("INSERT INTO messages (chat_id, created_at) VALUES (1, '2022-01-10 13:00+00')");
        assertThat(Fixtures.number(pg, "SELECT id FROM messages"))
                .as("the sequence carried on, not reset")
                .isEqualTo(2);
        assertThat(Fixtures.string(pg, "SELECT pg_get_serial_sequence('messages', 'id')"))
                .isEqualTo("public.messages_id_seq");
        assertThat(Fixtures.partitionNames(pg, "messages")).hasSize(6);
    }

    private static AutoPartitionSpec spec() {
        return AutoPartitionSpec.builder(TableName.of("messages"), "created_at")
                .increment("1 day")
                .build();
    }

    @Test
    void refusesToConvertWhatItCannotCarryOver() {
        pg.execute(
                "CREATE TABLE parent_t (id bigint PRIMARY KEY, ts timestamptz NOT NULL)",
                "CREATE TABLE child_t (parent_id bigint REFERENCES parent_t (id))");
        assertThatThrownBy(() -> engine().autoPartition(AutoPartitionSpec.builder(TableName.of("parent_t"), "ts")
                        .increment("1 day")
                        .build()))
                .isInstanceOf(InvalidSpecException.class)
                .hasMessageContaining("foreign key child_t_parent_id_fkey of child_t references it");
        assertThat(Fixtures.string(pg, "SELECT relkind::text FROM pg_class WHERE relname = 'parent_t'"))
                .isEqualTo("r");
    }

    @Test
    void callingAgainAltersTheRuleAndDroppingItKeepsThePartitions() {
        pg.execute("CREATE TABLE altered (ts timestamptz NOT NULL) PARTITION BY RANGE (ts)");
        AutoPartition ap = engine();
        TableName table = TableName.of("altered");
        ap.autoPartition(AutoPartitionSpec.builder(table, "ts")
                .increment("1 day")
                .maximumAdvancePartitions(2)
                .build());
        TableReport altered = ap.autoPartition(AutoPartitionSpec.builder(table, "ts")
                .increment("1 day")
                .maximumAdvancePartitions(4)
                .minimumAdvancePartitions(3)
                .build());
        assertThat(altered.created()).containsExactly("altered_p20220113", "altered_p20220114");
        assertThat(Fixtures.number(
                        pg, "SELECT max_advance FROM autopartition.managed_table WHERE table_name =" + " 'altered'"))
                .isEqualTo(4);
        assertThat(ap.dropAutoPartition(table)).isTrue();
        assertThat(Fixtures.partitionNames(pg, "altered")).hasSize(5);
        assertThatThrownBy(() -> ap.plan(table))
                .as("no rule: a plan for it is a mistake worth saying")
                .isInstanceOf(InvalidSpecException.class)
                .hasMessageContaining("has no auto-partition rule");
        assertThat(ap.dropAutoPartition(table)).isFalse();
    }

    @Test
    void disabledRulesAreLeftAlone() {
        pg.execute("CREATE TABLE paused (ts timestamptz NOT NULL) PARTITION BY RANGE (ts)");
        TableReport report = engine().autoPartition(AutoPartitionSpec.builder(TableName.of("paused"), "ts")
                .increment("1 day")
                .enabled(false)
                .build());
        assertThat(report.skipped()).isEqualTo("disabled");
        assertThat(Fixtures.partitionNames(pg, "paused")).isEmpty();
    }
}
