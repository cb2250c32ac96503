package dev.autopartition.samples.springboot;

import static org.assertj.core.api.Assertions.assertThat;

import dev.autopartition.testing.PostgresExtension;
import dev.autopartition.testing.TestDatabase;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The sample as it runs in production: its web server on a random port, and Actuator read over HTTP by a client that
 * knows nothing of the application's beans. While all is well, health is UP and a gauge shows the days ahead; a row
 * written for a day no partition covers lands in a default partition, and health answers 503 with the finding until
 * the row is gone.
 */
@SpringBootTest(
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        // every request reads the catalog, so the row inserted below shows at once
        properties = "autopartition.health.cache-for=0s")
class ActuatorOverHttpIT {
    @RegisterExtension
    static final PostgresExtension pg = new PostgresExtension();

    private static final HttpClient HTTP =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    private static final JsonMapper JSON = JsonMapper.builder().build();

    @DynamicPropertySource
    static void database(DynamicPropertyRegistry properties) {
        TestDatabase db = pg.database();
        properties.add("spring.datasource.url", db::jdbcUrl);
        properties.add("spring.datasource.username", db::user);
        properties.add("spring.datasource.password", db::password);
    }

    @Value("${local.server.port}")
    int port;

    @Test
    void healthIsUpAndTheGaugeShowsTheDaysAhead() {
        Response health = get("/actuator/health");
        assertThat(health.status())
                .as("GET /actuator/health answered %s", health.body())
                .isEqualTo(200);
        assertThat(health.json().path("status").asString())
                .as("the application's health in %s", health.body())
                .isEqualTo("UP");
        JsonNode component = health.json().path("components").path("autoPartition");
        assertThat(component.path("status").asString())
                .as("the autoPartition component in %s", health.body())
                .isEqualTo("UP");
        JsonNode messages = component.path("details").path("tables").path("public.chat_messages");
        assertThat(messages.path("advancePartitions").asInt(-99))
                .as("days ahead in the details of %s", component)
                .isEqualTo(5);
        assertThat(messages.path("lastRun").asString())
                .as("the start-up pass in the details of %s", component)
                .startsWith("SUCCESS at ");

        // tag::http[]
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://localhost:" + port
                        + "/actuator/metrics/autopartition.partitions.advance?tag=table:public.chat_messages"))
                .build();
        // end::http[]
        Response metric = send(request);
        assertThat(metric.status()).as("the metric answered %s", metric.body()).isEqualTo(200);
        assertThat(metric.json().path("name").asString()).isEqualTo("autopartition.partitions.advance");
        JsonNode measurement = metric.json().path("measurements").path(0);
        assertThat(measurement.path("statistic").asString())
                .as("the gauge's statistic in %s", metric.body())
                .isEqualTo("VALUE");
        assertThat(measurement.path("value").asDouble(Double.NaN))
                .as("days ahead of today, as the gauge reads them in %s", metric.body())
                .isEqualTo(5.0);
    }

    @Test
    void rowsInTheDefaultPartitionTurnHealthDownWith503() {
        pg.execute("CREATE TABLE chat_messages_default PARTITION OF chat_messages DEFAULT");
        try {
            // a year ahead: no range partition covers it, so it lands in the default partition
            pg.execute("INSERT INTO chat_messages (chat_id, body, created_at)"
                    + " VALUES (1, 'scheduled for next year', now() + interval '1 year')");

            Response health = get("/actuator/health");
            assertThat(health.status())
                    .as("GET /actuator/health with a row in the default partition answered %s", health.body())
                    .isEqualTo(503);
            assertThat(health.json().path("status").asString())
                    .as("the application's health in %s", health.body())
                    .isEqualTo("DOWN");
            JsonNode component = health.json().path("components").path("autoPartition");
            assertThat(component.path("status").asString())
                    .as("the autoPartition component in %s", health.body())
                    .isEqualTo("DOWN");
            JsonNode details = component.path("details");
            assertThat(details.path("tables")
                            .path("public.chat_messages")
                            .path("defaultRows")
                            .asLong(-1))
                    .as("default partition rows in the details of %s", component)
                    .isEqualTo(1);
            assertThat(details.path("findings").path(0).asString())
                    .as("the finding in %s", component)
                    .startsWith("ROWS_IN_DEFAULT_PARTITION: 1 rows of ")
                    .contains("chat_messages")
                    .contains("sit in its default partition");
            assertThat(details.path("findings").size())
                    .as("findings in %s", component)
                    .isEqualTo(1);

            Response metric = get("/actuator/metrics/autopartition.default.rows?tag=table:public.chat_messages");
            assertThat(metric.status())
                    .as("the metric answered %s", metric.body())
                    .isEqualTo(200);
            assertThat(metric.json().path("measurements").path(0).path("value").asDouble(Double.NaN))
                    .as("rows in the default partition, as the gauge reads them in %s", metric.body())
                    .isEqualTo(1.0);
        } finally {
            pg.execute("DROP TABLE chat_messages_default");
        }

        Response healthAgain = get("/actuator/health");
        assertThat(healthAgain.status())
                .as("GET /actuator/health once the default partition is gone answered %s", healthAgain.body())
                .isEqualTo(200);
    }

    private Response get(String path) {
        return send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
                .build());
    }

    private static Response send(HttpRequest request) {
        try {
            HttpResponse<String> response = HTTP.send(
                    HttpRequest.newBuilder(request, (name, value) -> true)
                            .timeout(Duration.ofSeconds(30))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            return new Response(response.statusCode(), response.body());
        } catch (IOException e) {
            throw new UncheckedIOException("GET " + request.uri() + " failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted during GET " + request.uri(), e);
        }
    }

    private record Response(int status, String body) {
        JsonNode json() {
            return JSON.readTree(body);
        }
    }
}
