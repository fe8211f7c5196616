package io.jettyspeed.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.jettyspeed.gateway.GatewayApplication;
import io.jettyspeed.gateway.security.ApiKeyRepository;
import io.jettyspeed.gateway.security.Scope;
import io.jettyspeed.processors.StreamProcessorsApplication;
import io.jettyspeed.processors.StreamsRunner;
import io.jettyspeed.schemas.Topics;
import io.jettyspeed.sink.SinkApplication;
import io.jettyspeed.testing.GatewayHttp;
import io.jettyspeed.testing.PostgresSchema;
import io.jettyspeed.testing.SharedKafka;
import io.jettyspeed.testing.SqlRows;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.apache.kafka.streams.KafkaStreams;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.context.ConfigurableApplicationContext;
import tools.jackson.databind.JsonNode;

/**
 * The whole pipeline on the real broker and the real PostgreSQL, with TWO stream-processor
 * instances sharing 6-partition topics: a scripted workload of three users through the HTTP API
 * gives exactly the expected sessions, dedup answers and per-user totals (read through the
 * gateway) and exactly the expected analyst views — also after the sink is killed in the middle of
 * the workload, and after a replay from offset 0 into a fresh schema.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PipelineIT {

    static final long MIB = 1_048_576L;
    static final String H1 = "1".repeat(64);
    static final String H2 = "2".repeat(64);
    static final String H3 = "3".repeat(64);
    static final String H4 = "4".repeat(64);
    static final String ADMIN = "ac_pipeadmin_pipeadminsecret00000000000001";
    static final String EDGE = "ac_pipeedge_pipeedgesecret000000000000001";
    static final String USER_A = "ac_pipeusra_pipeusrasecret000000000000001";
    static final String USER_B = "ac_pipeusrb_pipeusrbsecret000000000000001";
    static final String USER_C = "ac_pipeusrc_pipeusrcsecret000000000000001";

    @RegisterExtension
    static final PostgresSchema postgres = new PostgresSchema();

    static final Topics topics = SharedKafka.freshTopics();
    static final String applicationId = SharedKafka.uniqueId("pipeline");
    static final List<String> extraSchemas = new ArrayList<>();

    static ConfigurableApplicationContext gateway;
    static ConfigurableApplicationContext processorsOne;
    static ConfigurableApplicationContext processorsTwo;
    static ConfigurableApplicationContext sink;
    static GatewayHttp http;
    static String sessionA1;
    static String sessionB1;
    static String sessionC1;

    @BeforeAll
    static void startPipeline() throws Exception {
        gateway = GatewayApplication.builder().run(
                "--server.port=0",
                "--spring.kafka.bootstrap-servers=" + SharedKafka.bootstrapServers(),
                "--jetty.gateway.topic-prefix=" + topics.prefix(),
                "--spring.datasource.url=" + postgres.jdbcUrl(),
                "--spring.flyway.schemas=" + postgres.schema());
        ApiKeyRepository keys = gateway.getBean(ApiKeyRepository.class);
        keys.save(ADMIN, Set.of(Scope.ADMIN), null, "pipeline admin", 10_000, true);
        keys.save(EDGE, Set.of(Scope.EDGE), null, "pipeline probes", 10_000, true);
        keys.save(USER_A, Set.of(Scope.CLIENT), "usr_a", "usr_a", 10_000, true);
        keys.save(USER_B, Set.of(Scope.CLIENT), "usr_b", "usr_b", 10_000, true);
        keys.save(USER_C, Set.of(Scope.CLIENT), "usr_c", "usr_c", 10_000, true);
        keys.savePlan("usr_a", "PRO");
        keys.savePlan("usr_c", "BUSINESS");
        http = new GatewayHttp(Integer.parseInt(gateway.getEnvironment().getProperty("local.server.port")));
        processorsOne = startProcessors();
        processorsTwo = startProcessors();
        sink = startSink(postgres.schema(), "pipeline-sink");
    }

    @AfterAll
    static void stopPipeline() throws Exception {
        for (var context : new ConfigurableApplicationContext[] {sink, processorsTwo, processorsOne, gateway}) {
            if (context != null) {
                context.close();
            }
        }
        try (Connection c = postgres.connect(); Statement s = c.createStatement()) {
            for (String schema : extraSchemas) {
                s.execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
            }
        }
    }

    @Test
    @Order(1)
    void shouldShareTheWorkBetweenTwoProcessorInstances() {
        await().atMost(Duration.ofSeconds(90)).untilAsserted(() -> {
            assertThat(activeTasks(processorsOne)).isPositive();
            assertThat(activeTasks(processorsTwo)).isPositive();
        });
    }

    @Test
    @Order(2)
    void shouldTrackUploadsFailuresAndChunkOutcomesWhileTheSinkRuns() {
        // given healthy probes on every edge
        StringBuilder samples = new StringBuilder();
        for (var edge : io.jettyspeed.schemas.edges.EdgeCatalog.EDGES) {
            samples.append(samples.isEmpty() ? "" : ",").append("""
                    {"edgeId":"%s","latencyMs":50,"bandwidthMbps":800,"load":0.25,"errorRate":0.0,"eventId":"probe-%s"}"""
                    .formatted(edge.edgeId(), edge.edgeId()));
        }
        ok(http.post("/api/jetty/edge-metrics", EDGE, "{\"samples\":[" + samples + "]}"), 202);

        // when usr_a uploads F1 (10 MiB, 3 chunks) through edge-sfo and completes it
        sessionA1 = start(USER_A, H1, 10 * MIB, "pro", "laptop");
        chunk(USER_A, sessionA1, 0, "completed", "edge-sfo", 4 * MIB, "a1-0");
        chunk(USER_A, sessionA1, 1, "completed", "edge-sfo", 4 * MIB, "a1-1");
        chunk(USER_A, sessionA1, 2, "completed", "edge-sfo", 2 * MIB, "a1-2");
        finish(USER_A, sessionA1, "complete", H1, 10 * MIB);
        // and usr_b uploads two chunks of F2 through edge-fra, the third fails, and the upload fails
        sessionB1 = start(USER_B, H2, 12 * MIB, null, "phone");
        chunk(USER_B, sessionB1, 0, "completed", "edge-fra", 4 * MIB, "b1-0");
        chunk(USER_B, sessionB1, 1, "completed", "edge-fra", 4 * MIB, "b1-1");
        chunk(USER_B, sessionB1, 2, "failed", "edge-fra", 4 * MIB, "b1-2");
        finish(USER_B, sessionB1, "fail", H2, 8 * MIB);

        // then
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
            assertThat(session(USER_A, sessionA1).get("status").asString()).isEqualTo("completed");
            assertThat(session(USER_B, sessionB1).get("status").asString()).isEqualTo("failed");
            assertThat(rows("SELECT session_id, status FROM upload_sessions ORDER BY status"))
                    .containsExactly(sessionA1 + "|COMPLETED", sessionB1 + "|FAILED");
        });
    }

    @Test
    @Order(3)
    void shouldAnswerDedupAndResumeCorrectlyWhileTheSinkIsDown() {
        // given the sink is killed in the middle of the workload
        sink.close();

        // when usr_c asks for F1, which usr_a stored: the index answers (optimal-edges records no clone)
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertThat(http.post("/api/jetty/optimal-edges", USER_C, """
                {"fileSize":%d,"fileHash":"%s","userLocation":{"lat":52.37,"lng":4.90}}""".formatted(10 * MIB, H1))
                .json().get("isDuplicate").asBoolean()).isTrue());
        JsonNode duplicate = ok(http.post("/api/jetty/check-duplicate", USER_C, """
                {"fileHash":"sha256:%s","eventId":"c-check-h1"}""".formatted(H1)), 200).json();
        // and usr_a and usr_b race to upload the same new content F3
        String sessionA2 = start(USER_A, H3, 8 * MIB, null, "laptop");
        String sessionB2 = start(USER_B, H3, 8 * MIB, null, "phone");
        chunk(USER_A, sessionA2, 0, "completed", "edge-sfo", 4 * MIB, "a2-0");
        chunk(USER_B, sessionB2, 0, "completed", "edge-lax", 4 * MIB, "b2-0");
        chunk(USER_A, sessionA2, 1, "completed", "edge-sfo", 4 * MIB, "a2-1");
        chunk(USER_B, sessionB2, 1, "completed", "edge-lax", 4 * MIB, "b2-1");
        finish(USER_A, sessionA2, "complete", H3, 8 * MIB);
        finish(USER_B, sessionB2, "complete", H3, 8 * MIB);
        // and usr_c uploads chunks 0 and 2 of F4 from one device (chunk 0 reported twice with one event id)
        sessionC1 = start(USER_C, H4, 16 * MIB, "business", "desktop");
        chunk(USER_C, sessionC1, 0, "completed", "edge-ams", 4 * MIB, "c1-0");
        chunk(USER_C, sessionC1, 0, "completed", "edge-ams", 4 * MIB, "c1-0");
        chunk(USER_C, sessionC1, 1, "uploading", "edge-ams", 4 * MIB, "c1-1");
        chunk(USER_C, sessionC1, 2, "completed", "edge-ams", 4 * MIB, "c1-2");

        // then the check found the stored file
        assertThat(duplicate.get("isDuplicate").asBoolean()).isTrue();
        // and it does not tell usr_c who owns the content
        assertThat(duplicate.get("existingFile").has("ownerUserId")).isFalse();
        // and a second device finds the session by (userId, fileHash) with exactly the missing chunks
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
            JsonNode resume = ok(http.get("/api/jetty/sessions?fileHash=sha256:" + H4, USER_C), 200).json();
            assertThat(resume.get("sessionId").asString()).isEqualTo(sessionC1);
            assertThat(resume.get("status").asString()).isEqualTo("uploading");
            assertThat(resume.get("completedChunks").asInt()).isEqualTo(2);
            assertThat(resume.get("missingChunks").toString()).isEqualTo("[{\"from\":1,\"to\":1},{\"from\":3,\"to\":3}]");
            assertThat(resume.get("bytesUploaded").asLong()).isEqualTo(8 * MIB);
        });
        // and another user's key may neither read it nor report progress on it
        assertThat(http.get("/api/jetty/sessions/" + sessionC1, USER_A).status()).isEqualTo(403);
        GatewayHttp.Response foreign = http.post("/api/jetty/cache-chunk", USER_A, """
                {"sessionId":"%s","chunkIndex":1,"status":"completed","edgeId":"edge-sfo"}""".formatted(sessionC1));
        assertThat(foreign.status()).isEqualTo(403);
        assertThat(foreign.errorFields()).containsExactly("sessionId");
        // and the race ends with one canonical file and one clone; per-user totals are exact
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
            JsonNode a = stats(USER_A, "usr_a");
            JsonNode b = stats(USER_B, "usr_b");
            JsonNode c = stats(USER_C, "usr_c");
            assertThat(totals(a)).isEqualTo("pro|2|2|0|" + 18 * MIB + "|" + 18 * MIB + "|20000000000");
            assertThat(totals(b)).isEqualTo("starter|2|1|1|" + 16 * MIB + "|" + 8 * MIB + "|2000000000");
            assertThat(totals(c)).isEqualTo("business|1|0|0|" + 8 * MIB + "|" + 10 * MIB + "|100000000000");
            assertThat(c.get("dedupHits").asLong()).isEqualTo(1);
            assertThat(c.get("bytesSaved").asLong()).isEqualTo(10 * MIB);
            assertThat(a.get("dedupHits").asLong() + b.get("dedupHits").asLong()).isEqualTo(1);
            assertThat(a.get("bytesSaved").asLong() + b.get("bytesSaved").asLong()).isEqualTo(8 * MIB);
        });
    }

    @Test
    @Order(4)
    void shouldFillTheAnalystViewsWithExactNumbersAfterTheSinkRestarts() {
        // when the killed sink starts again
        sink = startSink(postgres.schema(), "pipeline-sink");

        // then
        await().atMost(Duration.ofSeconds(90)).untilAsserted(() -> assertThat(analystNumbers(postgres.schema()))
                .containsExactlyElementsOf(expectedAnalystNumbers()));
        // and throughput, lag and dropped duplicates are visible to Prometheus
        assertThat(prometheus(sink)).contains("jetty_sink_records_written_total", "jetty_sink_batch_duration_seconds",
                "kafka_consumer_fetch_manager_records_lag_max");
    }

    private static String prometheus(ConfigurableApplicationContext service) {
        int port = Integer.parseInt(service.getEnvironment().getProperty("local.server.port"));
        return new GatewayHttp(port).get("/actuator/prometheus", null).raw().body();
    }

    @Test
    @Order(5)
    void shouldGiveTheSameNumbersWhenReplayingFromOffsetZeroIntoAFreshSchema() throws Exception {
        // given
        String fresh = SharedKafka.uniqueId("replay").replace('-', '_');
        try (Connection c = postgres.connect(); Statement s = c.createStatement()) {
            s.execute("CREATE SCHEMA " + fresh);
        }
        extraSchemas.add(fresh);

        // when a new sink reads every topic from the start
        try (var replay = startSink(fresh, "pipeline-replay")) {
            // then
            await().atMost(Duration.ofSeconds(90)).untilAsserted(() -> {
                assertThat(analystNumbers(fresh)).containsExactlyElementsOf(expectedAnalystNumbers());
                assertThat(tables(fresh)).isEqualTo(tables(postgres.schema()));
            });
        }
    }

    @Test
    @Order(6)
    void shouldExposeDroppedDuplicatesAsAPrometheusMetric() {
        // The Streams metrics binder picks up sensors created after start on its periodic refresh.
        await().atMost(Duration.ofSeconds(90)).untilAsserted(() ->
                assertThat(prometheus(processorsOne) + prometheus(processorsTwo)).contains("dropped_records_total"));
    }

    private static List<String> expectedAnalystNumbers() {
        return List.of(
                "usr_a|PRO|2|2|0|" + 18 * MIB + "|" + 18 * MIB,
                "usr_b|STARTER|2|1|1|" + 16 * MIB + "|" + 8 * MIB,
                "usr_c|BUSINESS|1|0|0|" + 8 * MIB + "|" + 10 * MIB,
                "savings|2|1|1|" + 18 * MIB,
                "edge-ams|1|2|0",
                "edge-fra|1|2|1",
                "edge-lax|1|2|0",
                "edge-sfo|1|5|0",
                "files|" + H1 + "|usr_a|2|1",
                "files|" + H3 + "|2|1");
    }

    private static List<String> analystNumbers(String schema) throws Exception {
        List<String> numbers = new ArrayList<>(rows(schema, """
                SELECT user_id, plan, uploads_started, uploads_completed, uploads_failed, bytes_uploaded, storage_used_bytes
                FROM user_upload_stats ORDER BY user_id"""));
        numbers.addAll(rows(schema, """
                SELECT 'savings', sum(clones), sum(instant_clones), sum(duplicate_uploads), sum(bytes_saved)
                FROM deduplication_savings"""));
        numbers.addAll(rows(schema, """
                SELECT edge_id, probe_samples, chunk_successes, chunk_failures FROM edge_performance_24h
                WHERE chunk_successes + chunk_failures > 0 ORDER BY edge_id"""));
        numbers.addAll(rows(schema, "SELECT 'files', file_hash, owner_user_id, reference_count, clone_count FROM files WHERE file_hash = '" + H1 + "'"));
        numbers.addAll(rows(schema, "SELECT 'files', file_hash, reference_count, clone_count FROM files WHERE file_hash = '" + H3 + "'"));
        return numbers;
    }

    private static List<String> tables(String schema) throws Exception {
        List<String> all = new ArrayList<>();
        for (String table : List.of("upload_sessions", "user_stats", "files", "dedup_clones", "edge_health",
                "edge_samples", "chunk_outcomes", "edge_minute_rollups")) {
            all.add(table);
            all.addAll(rows(schema, "SELECT * FROM " + table + " ORDER BY 1, 2"));
        }
        return all;
    }

    private static String totals(JsonNode stats) {
        return String.join("|", stats.get("plan").asString(), stats.get("uploadsStarted").asString(),
                stats.get("uploadsCompleted").asString(), stats.get("uploadsFailed").asString(),
                stats.get("bytesUploaded").asString(), stats.get("storageUsedBytes").asString(),
                stats.get("quotaBytes").asString());
    }

    private static JsonNode stats(String key, String userId) {
        return ok(http.get("/api/jetty/users/" + userId + "/stats", key), 200).json();
    }

    private static JsonNode session(String key, String sessionId) {
        return ok(http.get("/api/jetty/sessions/" + sessionId, key), 200).json();
    }

    private static String start(String key, String hash, long size, String plan, String device) {
        String body = """
                {"action":"start","fileName":"f-%s.bin","fileSize":%d,"fileHash":"sha256:%s","chunkSize":%d,
                 "totalChunks":%d,"deviceId":"%s"%s}""".formatted(hash.substring(0, 4), size, hash, 4 * MIB,
                (size + 4 * MIB - 1) / (4 * MIB), device, plan == null ? "" : ",\"plan\":\"" + plan + "\"");
        return ok(http.post("/api/jetty/track-upload", key, body), 200).json().get("sessionId").asString();
    }

    private static void chunk(String key, String sessionId, int index, String status, String edge, long bytes,
            String eventId) {
        ok(http.post("/api/jetty/cache-chunk", key, """
                {"sessionId":"%s","chunkIndex":%d,"status":"%s","edgeId":"%s","chunkSize":%d,"durationMs":100,
                 "eventId":"%s-%s"}""".formatted(sessionId, index, status, edge, bytes, topics.prefix(), eventId)), 200);
    }

    private static void finish(String key, String sessionId, String action, String hash, long bytes) {
        ok(http.post("/api/jetty/track-upload", key, """
                {"action":"%s","sessionId":"%s","fileHash":"%s","bytesUploaded":%d%s}""".formatted(action, sessionId,
                hash, bytes, action.equals("fail") ? ",\"error\":\"edge timeout\"" : "")), 200);
    }

    private static GatewayHttp.Response ok(GatewayHttp.Response response, int status) {
        assertThat(response.status()).as(response.toString()).isEqualTo(status);
        return response;
    }

    private static long activeTasks(ConfigurableApplicationContext processors) {
        return processors.getBean(StreamsRunner.class).streams().values().stream()
                .filter(streams -> streams.state() == KafkaStreams.State.RUNNING)
                .flatMap(streams -> streams.metadataForLocalThreads().stream())
                .mapToLong(thread -> thread.activeTasks().size())
                .sum();
    }

    private static ConfigurableApplicationContext startProcessors() throws Exception {
        Path stateDir = Files.createTempDirectory("pipeline-streams");
        return StreamProcessorsApplication.builder().run(
                "--server.port=0",
                "--spring.kafka.bootstrap-servers=" + SharedKafka.bootstrapServers(),
                "--jetty.processors.bootstrap-servers=" + SharedKafka.bootstrapServers(),
                "--jetty.processors.application-id=" + applicationId,
                "--jetty.processors.topic-prefix=" + topics.prefix(),
                "--jetty.processors.state-dir=" + stateDir,
                // Two instances in one JVM share the host name, the default instance id: each gets its own.
                "--jetty.processors.instance-id=" + SharedKafka.uniqueId("processors"),
                "--spring.autoconfigure.exclude=org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration,"
                        + "org.springframework.boot.flyway.autoconfigure.FlywayAutoConfiguration");
    }

    private static ConfigurableApplicationContext startSink(String schema, String group) {
        return SinkApplication.builder().run(
                "--server.port=0",
                "--spring.datasource.url=" + urlFor(schema),
                "--spring.flyway.schemas=" + schema,
                "--spring.kafka.bootstrap-servers=" + SharedKafka.bootstrapServers(),
                "--jetty.sink.topic-prefix=" + topics.prefix(),
                "--jetty.sink.group-id=" + group + "-" + schema,
                "--jetty.sink.max-poll-records=5",
                "--jetty.sink.instance-id=" + SharedKafka.uniqueId("sink"));
    }

    private static String urlFor(String schema) {
        return postgres.jdbcUrl().replace("currentSchema=" + postgres.schema(), "currentSchema=" + schema);
    }

    private static List<String> rows(String sql) throws Exception {
        return rows(postgres.schema(), sql);
    }

    private static List<String> rows(String schema, String sql) throws Exception {
        return SqlRows.query(urlFor(schema), postgres.user(), postgres.password(), sql);
    }
}
