package io.jettyspeed.sink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.jettyspeed.schemas.Topics;
import io.jettyspeed.testing.PostgresSchema;
import io.jettyspeed.testing.SharedKafka;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.context.ConfigurableApplicationContext;

class SinkApplicationIT {

    @RegisterExtension
    static final PostgresSchema postgres = new PostgresSchema();

    @Test
    void shouldMigrateTheSchemaAndBeReadyOnlyOnceItHoldsPartitions() throws Exception {
        // given topics that do not exist yet
        Topics topics = Topics.of(SharedKafka.uniqueId("t") + ".", Topics.DEFAULT_PARTITIONS);

        // when
        try (ConfigurableApplicationContext context = SinkApplication.builder().run(
                "--server.port=0",
                "--spring.datasource.url=" + postgres.jdbcUrl(),
                "--spring.flyway.schemas=" + postgres.schema(),
                "--spring.kafka.bootstrap-servers=" + SharedKafka.bootstrapServers(),
                "--spring.kafka.consumer.properties.metadata.max.age.ms=500",
                "--jetty.sink.topic-prefix=" + topics.prefix(),
                "--jetty.sink.check-interval=250ms")) {

            // then the schema is migrated
            try (var c = postgres.connect(); var rs = c.createStatement().executeQuery(
                    "SELECT count(*) FROM information_schema.tables WHERE table_schema = '" + postgres.schema()
                            + "' AND table_name IN ('api_keys', 'sink_dead_letters')")) {
                rs.next();
                assertThat(rs.getInt(1)).isEqualTo(2);
            }
            // and the sink is live but not ready while it holds no partitions, and says why
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
                SinkRunner.Probe probe = SinkRunner.readiness(context);
                assertThat(probe.status()).isEqualTo(503);
                assertThat(probe.reason()).contains("holds no partitions");
            });
            assertThat(liveness(context).statusCode()).isEqualTo(200);

            // when the topics appear
            SharedKafka.createTopics(topics);

            // then it claims their partitions and is ready
            await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
                SinkRunner.Probe probe = SinkRunner.readiness(context);
                assertThat(probe.up()).as("%s", probe).isTrue();
                assertThat(probe.sink().path("details").path("partitionsHeld").asInt()).isEqualTo(7 * Topics.DEFAULT_PARTITIONS);
                assertThat(probe.sink().path("details").path("lagRecords").asLong()).isZero();
            });
            assertThat(SinkRunner.metric(context, "jetty_sink_partitions_held")).isEqualTo(7 * Topics.DEFAULT_PARTITIONS);
            assertThat(SinkRunner.metric(context, "jetty_sink_dead_letters_backlog")).isZero();
            assertThat(SinkRunner.prometheus(context)).contains("jetty_sink_last_commit_age_seconds", "jetty_sink_lag_records",
                    "jetty_sink_records_written_total", "jetty_sink_batch_duration_seconds",
                    "kafka_consumer_fetch_manager_records_lag_max");
        }
    }

    private static HttpResponse<String> liveness(ConfigurableApplicationContext context) throws Exception {
        int port = Integer.parseInt(context.getEnvironment().getProperty("local.server.port"));
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create("http://localhost:" + port + "/actuator/health/liveness")).build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
