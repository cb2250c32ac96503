package dev.autopartition.flyway;

import static org.assertj.core.api.Assertions.assertThat;

import dev.autopartition.Execution;
import dev.autopartition.LockMode;
import dev.autopartition.Plan;
import dev.autopartition.PlannedStatement;
import dev.autopartition.PlannedStep;
import dev.autopartition.TableName;
import java.util.List;
import org.junit.jupiter.api.Test;

class FlywayLockGuardTest {
    private static final TableName EVENTS = TableName.of("events");

    private static Plan plan(PlannedStatement... statements) {
        return new Plan(List.of(new PlannedStep(EVENTS, "remove a partition", List.of(statements))), List.of());
    }

    @Test
    void findsStatementsThatWaitForOlderTransactions() {
        PlannedStatement attach = new PlannedStatement(
                "ALTER TABLE \"public\".\"events\" ATTACH PARTITION \"public\".\"events_p1\" FOR VALUES FROM (1) TO"
                        + " (2)",
                LockMode.SHARE_UPDATE_EXCLUSIVE,
                "\"public\".\"events\"",
                "SHARE UPDATE EXCLUSIVE",
                Execution.IN_TRANSACTION);
        PlannedStatement concurrently = new PlannedStatement(
                "ALTER TABLE \"public\".\"events\" DETACH PARTITION \"public\".\"events_p1\" CONCURRENTLY",
                LockMode.SHARE_UPDATE_EXCLUSIVE,
                "\"public\".\"events\"",
                "SHARE UPDATE EXCLUSIVE",
                Execution.CONCURRENTLY);
        PlannedStatement finalize = new PlannedStatement(
                "ALTER TABLE \"public\".\"events\" DETACH PARTITION \"public\".\"events_p1\" FINALIZE",
                LockMode.SHARE_UPDATE_EXCLUSIVE,
                "\"public\".\"events\"",
                "SHARE UPDATE EXCLUSIVE",
                Execution.CONCURRENTLY_AFTER_OLDER_TRANSACTIONS);
        assertThat(FlywayLockGuard.waitsForOlderTransactions(plan(attach)))
                .as("in a transaction")
                .isEmpty();
        assertThat(FlywayLockGuard.waitsForOlderTransactions(plan(attach, concurrently)))
                .as("a concurrent detach waits only for sessions holding locks on the parent")
                .isEmpty();
        assertThat(FlywayLockGuard.waitsForOlderTransactions(plan(concurrently, finalize)))
                .as("FINALIZE waits for every older snapshot")
                .contains(finalize);
    }

    @Test
    void theMessageNamesTheStatementTheHolderAndTheFix() {
        PlannedStatement finalize = new PlannedStatement(
                "ALTER TABLE \"public\".\"events\" DETACH PARTITION \"public\".\"events_p1\" FINALIZE",
                LockMode.SHARE_UPDATE_EXCLUSIVE,
                "\"public\".\"events\"",
                "SHARE UPDATE EXCLUSIVE",
                Execution.CONCURRENTLY_AFTER_OLDER_TRANSACTIONS);
        String message = FlywayLockGuard.message(
                "Migration db.migration.V9__maintain",
                finalize,
                new FlywayLockGuard.Holder(4242, "idle in transaction", ""));
        assertThat(message)
                .as("message")
                .startsWith("Migration db.migration.V9__maintain must run\n    ALTER TABLE \"public\".\"events\" DETACH"
                        + " PARTITION \"public\".\"events_p1\" FINALIZE\noutside a transaction block")
                .contains("(pid 4242, idle in transaction)")
                .contains("Nothing was changed.\nFix: set flyway.postgresql.transactional.lock=false");
    }
}
