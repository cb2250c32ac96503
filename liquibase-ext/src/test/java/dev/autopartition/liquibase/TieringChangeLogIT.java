package dev.autopartition.liquibase;

import static org.assertj.core.api.Assertions.assertThat;

import dev.autopartition.testing.PostgresExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The tiering, autocreate-expression and uuid-key options through a real XML changelog. */
class TieringChangeLogIT {
    @RegisterExtension
    static final PostgresExtension pg = new PostgresExtension();

    private static final String CHANGELOG = "changelogs/tiering/uuid-orders.xml";

    @Test
    void aUuidTableWithTieringAndAnAutocreateExpression() {
        Lb lb = new Lb(pg.database()).now("2022-01-10T12:00:00Z");
        lb.update("changelogs/tiering/uuid-orders-table.xml");
        String preview = new Lb(pg.database()).now("2022-01-10T12:00:00Z").updateSql(CHANGELOG);
        assertThat(preview)
                .as("update-sql shows where the autocreate expression puts the current position")
                .contains("autocreate expression DATE '2022-01-12' = 2022-01-12 00:00:00+00:00");
        lb.update(CHANGELOG);
        Db db = new Db(pg.database());
        assertThat(db.partitionNames("orders"))
                .as("counted from the 12th, not the clock's 10th")
                .containsExactly("orders_p20220112", "orders_p20220113");
        assertThat(db.rows("SELECT tier_after || '|' || tier_tablespace || '|' || autocreate_expression"
                        + " FROM autopartition.managed_table WHERE table_name = 'orders'"))
                .containsExactly("30 days|pg_default|DATE '2022-01-12'");
        assertThat(db.rows("SELECT pg_get_expr(relpartbound, oid) FROM pg_class WHERE relname = 'orders_p20220112'"))
                .containsExactly("FOR VALUES FROM ('017e4b95-9000-0000-0000-000000000000')"
                        + " TO ('017e50bb-ec00-0000-0000-000000000000')");
    }
}
