package dev.autopartition.liquibase;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import liquibase.command.CommandScope;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code update-sql} against an {@code offline:postgresql} URL: no database at all. The static checks still run, and
 * every change prints a comment saying what it will do when it runs.
 */
class OfflineUpdateSqlTest {
    @Test
    void offlineUpdateSqlPrintsWhatEachChangeWillDo() throws Exception {
        String sql = updateSql("changelogs/xml/partitioning.xml");
        assertThat(sql)
                .contains("-- autopartition: autoPartition of \"public\".\"events\" on created_at by 1 day")
                .contains("-- No live database connection: the engine plans from the catalog, so the DDL is decided")
                .contains("-- autopartition: dropPartition \"public\".\"readings_legacy\"")
                .contains("-- autopartition: maintainPartitions of every managed table");
    }

    @Test
    void offlineUpdateSqlSaysWhatTheMigrationWillDo() throws Exception {
        String sql = updateSql("changelogs/migrate/chat.yaml").replace("\n-- ", " ");
        assertThat(sql)
                .contains("autopartition: migrateToPartitioned of \"public\".\"chats\" on created_at by 1 day")
                .contains("No live database connection: the engine plans from the catalog, so the DDL is decided")
                .contains("It will migrate \"public\".\"chats\" online into a table partitioned by range (created_at),")
                .contains("cut over in one short transaction");
    }

    @Test
    void offlineValidationStillCatchesStaticErrors() {
        Throwable failure = catchThrowable(() -> updateSql("changelogs/bad/offline-bad.yaml"));
        assertThat(String.valueOf(failure))
                .contains(
                        "offline-bad::bob, attribute increment='1 fortnight': Increment '1 fortnight' does not parse");
    }

    @TempDir
    Path temp;

    private String updateSql(String changelog) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        // the offline "database" keeps its history in a CSV file; a fresh one each time
        Path history = temp.resolve("databasechangelog-" + System.nanoTime() + ".csv");
        new CommandScope("updateSql")
                .addArgumentValue("url", "offline:postgresql?outputLiquibaseSql=none&changeLogFile=" + history)
                .addArgumentValue("changelogFile", changelog)
                .setOutput(out)
                .execute();
        return out.toString(StandardCharsets.UTF_8);
    }
}
