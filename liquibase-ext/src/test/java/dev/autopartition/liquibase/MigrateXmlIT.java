package dev.autopartition.liquibase;

import dev.autopartition.testing.PostgresExtension;
import dev.autopartition.testing.TestDatabase;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The migration scenario from a XML changelog. */
class MigrateXmlIT extends MigrateScenario {
    @RegisterExtension
    static final PostgresExtension pg = new PostgresExtension();

    @Override
    TestDatabase database() {
        return pg.database();
    }

    @Override
    String format() {
        return "xml";
    }
}
