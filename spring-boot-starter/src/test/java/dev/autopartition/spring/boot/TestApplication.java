package dev.autopartition.spring.boot;

import dev.autopartition.testing.PostgresExtension;
import dev.autopartition.testing.TestDatabase;
import java.util.ArrayList;
import java.util.List;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * An application with every auto-configuration on the class path (Spring Boot's DataSource, Liquibase, Flyway,
 * Actuator, Micrometer, and this starter), started the way Spring Boot starts one, on the test's database.
 */
@SpringBootConfiguration
@EnableAutoConfiguration
class TestApplication {

    /** Starts the application with Liquibase and Flyway off unless a property turns one on. */
    static ConfigurableApplicationContext start(PostgresExtension pg, List<Class<?>> extra, String... properties) {
        TestDatabase db = pg.database();
        List<String> all = new ArrayList<>(List.of(
                "spring.datasource.url=" + db.jdbcUrl(),
                "spring.datasource.username=" + db.user(),
                "spring.datasource.password=" + db.password(),
                "spring.liquibase.enabled=false",
                "spring.flyway.enabled=false",
                "spring.main.banner-mode=off",
                "autopartition.health.cache-for=0s"));
        all.addAll(List.of(properties));
        List<Class<?>> sources = new ArrayList<>(List.of(TestApplication.class));
        sources.addAll(extra);
        return new SpringApplicationBuilder(sources.toArray(Class<?>[]::new))
                .web(WebApplicationType.NONE)
                .properties(all.toArray(String[]::new))
                .run();
    }
}
