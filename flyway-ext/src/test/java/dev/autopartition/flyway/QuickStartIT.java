package dev.autopartition.flyway;

import static org.assertj.core.api.Assertions.assertThat;

import dev.autopartition.testing.PostgresExtension;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The README's quick start, as written there: Flyway's default location, the real clock, the callback. */
class QuickStartIT {
    @RegisterExtension
    static final PostgresExtension pg = new PostgresExtension();

    @Test
    void quickStart() {
        String url = pg.database().jdbcUrl();
        String user = pg.database().user();
        String password = pg.database().password();
        LocalDate before = LocalDate.now(ZoneOffset.UTC);

        Flyway flyway = Flyway.configure()
                .dataSource(url, user, password)
                .locations("classpath:db/migration")
                .callbacks(new AutoPartitionCallback())
                .load();
        flyway.migrate();

        LocalDate after = LocalDate.now(ZoneOffset.UTC);
        String today = "chat_messages_p" + after.format(DateTimeFormatter.BASIC_ISO_DATE);
        assertThat(Db.partitionNames(pg, "chat_messages"))
                .as("today and 5 days ahead (the default maximum)")
                .hasSize(before.equals(after) ? 6 : 7)
                .contains(today);
        assertThat(flyway.validateWithResult().validationSuccessful)
                .as("validate")
                .isTrue();
    }
}
