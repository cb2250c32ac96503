package dev.autopartition.liquibase;

import dev.autopartition.testing.PostgresExtension;
import dev.autopartition.testing.TestDatabase;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The scenario from a YAML changelog. */
class YamlChangeLogIT extends ChangeLogScenario {
    @RegisterExtension
    static final PostgresExtension pg = new PostgresExtension();

    @Override
    TestDatabase database() {
        return pg.database();
    }

    @Override
    String format() {
        return "yaml";
    }
}
