package io.jettyspeed.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.jettyspeed.gateway.GatewayApplication;
import io.jettyspeed.gateway.security.ApiKeyRepository;
import io.jettyspeed.gateway.security.Scope;
import io.jettyspeed.processors.StreamProcessorsApplication;
import io.jettyspeed.schemas.Topics;
import io.jettyspeed.schemas.edges.EdgeCatalog;
import io.jettyspeed.sink.SinkApplication;
import io.jettyspeed.testing.GatewayHttp;
import io.jettyspeed.testing.PostgresSchema;
import io.jettyspeed.testing.SharedKafka;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The Grafana dashboard asks only for what the services expose. The three services run for real
 * (in-process Spring contexts on the test broker and PostgreSQL, as {@code PipelineIT} runs them), a
 * little traffic makes the lazily registered meters exist (requests of each kind, a duplicate event the
 * processors drop, rows the sink writes, a GC, and one publish that Kafka cannot acknowledge, on a second
 * gateway whose topics do not exist), then every metric, matcher label and grouping label of every query
 * in {@code deploy/grafana/jettyspeed-dashboard.json} must be in some service's {@code /actuator/prometheus}.
 */
class DashboardMetricsIT {

    static final long MIB = 1_048_576L;
    static final String EDGE = "ac_dashedge_dashedgesecret000000000000001";
    static final String USER = "ac_dashusra_dashusrasecret000000000000001";

    @RegisterExtension
    static final PostgresSchema postgres = new PostgresSchema();

    static final Topics topics = SharedKafka.freshTopics();
    static final List<ConfigurableApplicationContext> contexts = new ArrayList<>();

    static ConfigurableApplicationContext gateway;
    static ConfigurableApplicationContext processors;
    static ConfigurableApplicationContext sink;
    static GatewayHttp http;

    @BeforeAll
    static void startServices() throws Exception {
        gateway = gateway(topics.prefix());
        ApiKeyRepository keys = gateway.getBean(ApiKeyRepository.class);
        keys.save(EDGE, Set.of(Scope.EDGE), null, "dashboard probes", 10_000, true);
        keys.save(USER, Set.of(Scope.CLIENT), "usr_dash", "usr_dash", 10_000, true);
        http = new GatewayHttp(port(gateway));
        processors = start(StreamProcessorsApplication.builder().run(
                "--server.port=0",
                "--spring.kafka.bootstrap-servers=" + SharedKafka.bootstrapServers(),
                "--jetty.processors.bootstrap-servers=" + SharedKafka.bootstrapServers(),
                "--jetty.processors.application-id=" + SharedKafka.uniqueId("dashboard"),
                "--jetty.processors.topic-prefix=" + topics.prefix(),
                "--jetty.processors.state-dir=" + Files.createTempDirectory("dashboard-streams"),
                "--spring.autoconfigure.exclude=org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration,"
                        + "org.springframework.boot.flyway.autoconfigure.FlywayAutoConfiguration"));
        sink = start(SinkApplication.builder().run(
                "--server.port=0",
                "--spring.datasource.url=" + postgres.jdbcUrl(),
                "--spring.datasource.username=" + postgres.user(),
                "--spring.datasource.password=" + postgres.password(),
                "--spring.flyway.schemas=" + postgres.schema(),
                "--spring.kafka.bootstrap-servers=" + SharedKafka.bootstrapServers(),
                "--jetty.sink.topic-prefix=" + topics.prefix(),
                "--jetty.sink.group-id=" + SharedKafka.uniqueId("dashboard-sink")));
    }

    @AfterAll
    static void stopServices() {
        for (int i = contexts.size() - 1; i >= 0; i--) {
            contexts.get(i).close();
        }
    }

    @Test
    void shouldQueryOnlyMetricsAndLabelsThatTheServicesExpose() {
        // given the dashboard's queries
        var queries = GrafanaDashboard.queries(Repository.read("deploy/grafana/jettyspeed-dashboard.json"));

        // when traffic of every kind has gone through the pipeline
        pushTraffic();
        Map<String, String> scrapes = new LinkedHashMap<>();
        scrapes.put("unacknowledged gateway", unacknowledgedPublishScrape());

        // then (meters that Streams registers on its periodic refresh, and the sink's rows, come a little later)
        await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofSeconds(2)).untilAsserted(() -> {
            scrapes.put("api-gateway", scrape(gateway));
            scrapes.put("stream-processors", scrape(processors));
            scrapes.put("sink-postgres", scrape(sink));
            assertThat(GrafanaDashboard.problems(queries, GrafanaDashboard.exposed(scrapes.values())))
                    .as("dashboard queries that no service answers (scraped: %s)", scrapes.keySet())
                    .isEmpty();
        });
    }

    private static void pushTraffic() {
        StringBuilder samples = new StringBuilder();
        for (var edge : EdgeCatalog.EDGES) {
            samples.append(samples.isEmpty() ? "" : ",").append("""
                    {"edgeId":"%s","latencyMs":40,"bandwidthMbps":900,"load":0.2,"errorRate":0.0}""".formatted(edge.edgeId()));
        }
        ok(http.post("/api/jetty/edge-metrics", EDGE, "{\"samples\":[" + samples + "]}"), 202);
        String hash = "d".repeat(64);
        String session = ok(http.post("/api/jetty/track-upload", USER, """
                {"action":"start","fileName":"dash.bin","fileSize":%d,"fileHash":"sha256:%s","chunkSize":%d,"totalChunks":2}"""
                .formatted(8 * MIB, hash, 4 * MIB)), 200).json().get("sessionId").asString();
        for (int chunk = 0; chunk < 2; chunk++) {
            String body = """
                    {"sessionId":"%s","chunkIndex":%d,"status":"completed","edgeId":"edge-fra","chunkSize":%d,"durationMs":80,
                     "eventId":"%s-chunk-%d"}""".formatted(session, chunk, 4 * MIB, topics.prefix(), chunk);
            ok(http.post("/api/jetty/cache-chunk", USER, body), 200);
            // the same event twice: the processors drop the copy (dropped-records metric)
            ok(http.post("/api/jetty/cache-chunk", USER, body), 200);
        }
        ok(http.post("/api/jetty/track-upload", USER, """
                {"action":"complete","sessionId":"%s","fileHash":"%s","bytesUploaded":%d}""".formatted(session, hash, 8 * MIB)), 200);
        ok(http.post("/api/jetty/check-duplicate", USER, "{\"fileHash\":\"sha256:" + "e".repeat(64) + "\"}"), 200);
        ok(http.get("/api/jetty/edges", USER), 200);
        // refused requests: 400, 401
        ok(http.post("/api/jetty/cache-chunk", USER, "{\"sessionId\":\"x\",\"chunkIndex\":-1,\"status\":\"nope\"}"), 400);
        ok(http.get("/api/jetty/edges", "ac_nobody_nobodysecret00000000000000000001"), 401);
        // jvm_gc_pause_* exist once a collection has been seen
        System.gc();
    }

    /** A gateway whose topics do not exist (no auto-creation): its publish is not acknowledged, so it counts one. */
    private static String unacknowledgedPublishScrape() {
        ConfigurableApplicationContext orphan = gateway(SharedKafka.uniqueId("missing") + ".");
        GatewayHttp orphanHttp = new GatewayHttp(port(orphan));
        ok(orphanHttp.post("/api/jetty/edge-metrics", EDGE, """
                {"samples":[{"edgeId":"edge-fra","latencyMs":40,"bandwidthMbps":900,"load":0.2,"errorRate":0.0}]}"""), 503);
        String scrape = scrape(orphan);
        contexts.remove(orphan);
        orphan.close();
        return scrape;
    }

    private static ConfigurableApplicationContext gateway(String topicPrefix) {
        return start(GatewayApplication.builder().run(
                "--server.port=0",
                "--spring.kafka.bootstrap-servers=" + SharedKafka.bootstrapServers(),
                "--jetty.gateway.topic-prefix=" + topicPrefix,
                "--spring.datasource.url=" + postgres.jdbcUrl(),
                "--spring.datasource.username=" + postgres.user(),
                "--spring.datasource.password=" + postgres.password(),
                "--spring.flyway.schemas=" + postgres.schema()));
    }

    private static ConfigurableApplicationContext start(ConfigurableApplicationContext context) {
        contexts.add(context);
        return context;
    }

    private static int port(ConfigurableApplicationContext context) {
        return Integer.parseInt(context.getEnvironment().getProperty("local.server.port"));
    }

    private static String scrape(ConfigurableApplicationContext service) {
        GatewayHttp.Response response = new GatewayHttp(port(service)).get("/actuator/prometheus", null);
        assertThat(response.status()).as(response.toString()).isEqualTo(200);
        return response.raw().body();
    }

    private static GatewayHttp.Response ok(GatewayHttp.Response response, int status) {
        assertThat(response.status()).as(response.toString()).isEqualTo(status);
        return response;
    }
}
