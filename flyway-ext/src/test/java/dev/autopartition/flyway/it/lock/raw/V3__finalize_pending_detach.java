package dev.autopartition.flyway.it.lock.raw;

import java.sql.Statement;
import org.flywaydb.core.api.migration.BaseJavaMigration;
import org.flywaydb.core.api.migration.Context;

/** Not autopartition: plain JDBC, to show what FINALIZE does under Flyway's transactional lock. */
public class V3__finalize_pending_detach extends BaseJavaMigration {
    @Override
    public boolean canExecuteInTransaction() {
        return false;
    }

    @Override
    public void migrate(Context context) throws Exception {
        try (Statement st = context.getConnection().createStatement()) {
            st.execute("SET lock_timeout = '1s'");
            st.execute("ALTER TABLE clicks DETACH PARTITION clicks_p20220110 FINALIZE");
        }
    }
}
