package io.jettyspeed.sink;

import static org.assertj.core.api.Assertions.assertThat;

import io.jettyspeed.testing.PostgresSchema;
import io.jettyspeed.testing.SharedKafka;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.context.ConfigurableApplicationContext;

class SinkApplicationIT {

    @RegisterExtension
    static final PostgresSchema postgres = new PostgresSchema();

    @Test
    void shouldMigrateTheSchemaAndReportReadyWhenTheDatabaseIsUp() throws Exception {
        // given / when
        try (ConfigurableApplicationContext context = SinkApplication.builder().run(
                "--server.port=0",
                "--spring.datasource.url=" + postgres.jdbcUrl(),
                "--spring.flyway.schemas=" + postgres.schema(),
                "--spring.kafka.bootstrap-servers=" + SharedKafka.bootstrapServers())) {
            int port = Integer.parseInt(context.getEnvironment().getProperty("local.server.port"));

            // then
            try (var c = postgres.connect(); var rs = c.createStatement().executeQuery(
                    "SELECT count(*) FROM information_schema.tables WHERE table_schema = '" + postgres.schema()
                            + "' AND table_name = 'api_keys'")) {
                rs.next();
                assertThat(rs.getInt(1)).isEqualTo(1);
            }
            var response = HttpClient.newHttpClient().send(
                    HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/actuator/health/readiness")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.body()).contains("\"status\":\"UP\"");
        }
    }
}
