package dev.autopartition.flyway;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;

/** The tests run on the Flyway that -Dflyway.test.version (or -Dflyway.line) asks for, not the compile-time one. */
class FlywayVersionTest {
    @Test
    void theTestClassPathHasTheRequestedFlyway() throws IOException {
        Properties pom = new Properties();
        try (InputStream in =
                Flyway.class.getResourceAsStream("/META-INF/maven/org.flywaydb/flyway-core/pom.properties")) {
            assertThat(in).as("flyway-core's pom.properties").isNotNull();
            pom.load(in);
        }
        String requested = System.getProperty("flyway.test.version");
        System.out.println("Flyway on the test class path: " + pom.getProperty("version"));
        assertThat(pom.getProperty("version"))
                .as("flyway-core on the test class path")
                .isEqualTo(requested);
    }
}
