package dev.autopartition.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class PostgresExtensionIT {
    @RegisterExtension
    static final PostgresExtension pg = new PostgresExtension();

    @Test
    void givesEachTestClassItsOwnDatabaseOnTheExpectedMajor() throws SQLException {
        try (Connection connection = pg.connection();
                Statement statement = connection.createStatement();
                ResultSet rs = statement.executeQuery("SELECT current_database()")) {
            rs.next();
            assertThat(rs.getString(1))
                    .as("database name")
                    .isEqualTo(pg.database().name());
        }
        assertThat(pg.majorVersion()).as("server major").isEqualTo(PostgresServer.expectedMajor());
    }

    @Test
    void databasesAreIndependent() throws SQLException {
        try (TestDatabase other = PostgresServer.shared().createDatabase("other")) {
            pg.execute("CREATE TABLE only_here(x int)");
            try (Connection connection = other.connection();
                    Statement statement = connection.createStatement();
                    ResultSet rs = statement.executeQuery("SELECT to_regclass('only_here') IS NULL")) {
                rs.next();
                assertThat(rs.getBoolean(1))
                        .as("table absent from the other database")
                        .isTrue();
            }
        }
    }
}
