package io.jettyspeed.gateway;

import io.jettyspeed.testing.GatewayHttp;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.jettyspeed.gateway.security.Scope;
import io.jettyspeed.schemas.ChunkEvent;
import io.jettyspeed.schemas.ChunkStatus;
import io.jettyspeed.schemas.DedupCheck;
import io.jettyspeed.schemas.EdgeMetricSample;
import io.jettyspeed.schemas.Plan;
import io.jettyspeed.schemas.Topic;
import io.jettyspeed.schemas.UploadAction;
import io.jettyspeed.schemas.UploadEvent;
import io.jettyspeed.testing.TopicReader;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import tools.jackson.databind.JsonNode;

/**
 * The seed's four curl calls, edge-metrics and an events batch against the real gateway, a real
 * broker and a real PostgreSQL; every event is read back from its topic, Avro-decoded, and checked
 * field by field.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = "spring.config.name=api-gateway")
class GatewayIngestIT {

    static final String ADMIN_KEY = "ac_ingestadmin_ingestadminsecret000000000001";
    static final String CLIENT_KEY = "ac_ingestclient_ingestclientsecret00000000001";
    static final String EDGE_KEY = "ac_ingestedge_ingestedgesecret0000000000001";
    static final String HASH = "9F86D081884C7D659A2FEAA0C55AD015A3BF4F1B2B0B822CD15D6C15B0F00A08";
    static final String NORMALISED = HASH.toLowerCase();

    @RegisterExtension
    static final GatewayUnderTest gateway = new GatewayUnderTest()
            .withKey(ADMIN_KEY, Scope.ADMIN, null, 1000)
            .withKey(CLIENT_KEY, Scope.CLIENT, "usr_123", 1000)
            .withKey(EDGE_KEY, Scope.EDGE, null, 1000);

    @Autowired
    io.jettyspeed.gateway.security.ApiKeyAuthenticator authenticator;

    GatewayHttp http;

    @BeforeEach
    void client() {
        http = gateway.http();
    }

    @Test
    void shouldPublishTheSeedsFourCallsAsAvroEventsKeyedAndNormalised() {
        // given: the gateway's copies have read the (empty) aggregate topics
        Instant before = Instant.now().minusMillis(1);
        await().atMost(Duration.ofSeconds(30)).until(() -> http.get("/api/jetty/edges", ADMIN_KEY).json()
                .get("caughtUp").asBoolean());

        // when: the seed's optimal-edges call (with a real hash instead of sha256:test123)
        GatewayHttp.Response edges = http.post("/api/jetty/optimal-edges", ADMIN_KEY, """
                {"userId":"usr_test","fileSize":1073741824,"fileHash":"sha256:%s",
                 "userLocation":{"lat":37.7749,"lng":-122.4194},"eventId":"it-edges-1"}""".formatted(HASH));
        // and check-duplicate, track-upload start, cache-chunk
        GatewayHttp.Response duplicate = http.post("/api/jetty/check-duplicate", ADMIN_KEY, """
                {"fileHash":"sha256:%s","userId":"usr_123","eventId":"it-dup-1"}""".formatted(HASH));
        GatewayHttp.Response start = http.post("/api/jetty/track-upload", ADMIN_KEY, """
                {"action":"start","userId":"usr_123","fileName":"video.mp4","fileSize":1073741824,
                 "fileHash":"%s","chunkSize":4194304,"totalChunks":256,"edgeIds":["edge-sfo","direct-storage"],
                 "plan":"pro","deviceId":"desktop-1","eventId":"it-start-1","timestamp":"2025-06-01T10:00:00.123Z"}"""
                .formatted(HASH));
        String sessionId = start.json().get("sessionId").asString();
        GatewayHttp.Response chunk = http.post("/api/jetty/cache-chunk", ADMIN_KEY, """
                {"sessionId":"%s","chunkIndex":0,"status":"completed","userId":"usr_123","edgeId":"edge-sfo",
                 "chunkSize":4194304,"durationMs":350,"totalChunks":256,"eventId":"it-chunk-1",
                 "timestamp":1748772001000}""".formatted(sessionId));

        // then: the answers
        assertThat(edges.status()).as(edges.toString()).isEqualTo(200);
        JsonNode edgesBody = edges.json();
        assertThat(edgesBody.get("fileHash").asString()).isEqualTo(NORMALISED);
        assertThat(edgesBody.get("isDuplicate").asBoolean()).isFalse();
        // no processors run here: the read side knows no file and the index cannot vouch for a miss (nothing
        // processes the events acknowledged before the question); no edge has reported, so the nearest edges
        // are recommended unprobed (README, Edge choice)
        assertThat(edgesBody.get("dedup").get("state").asString()).isIn("unknown", "pending");
        assertThat(edgesBody.get("degraded").asBoolean()).isFalse();
        assertThat(edgesBody.get("edges")).hasSize(6);
        assertThat(edgesBody.get("edges").get(0).get("edgeId").asString()).isEqualTo("edge-sfo");
        for (int i = 0; i < 5; i++) {
            assertThat(edgesBody.get("edges").get(i).get("unprobed").asBoolean()).isTrue();
        }
        assertThat(edgesBody.get("edges").get(5).get("edgeId").asString()).isEqualTo("direct-storage");
        assertThat(edgesBody.get("edges").get(5).get("weight").asDouble()).isEqualTo(0.10);
        assertThat(edgesBody.get("chunkSize").asLong()).isEqualTo(4_194_304L);
        assertThat(edgesBody.get("parallelism").asInt()).isEqualTo(24);
        assertThat(duplicate.status()).as(duplicate.toString()).isEqualTo(200);
        assertThat(duplicate.json().get("isDuplicate").asBoolean()).isFalse();
        assertThat(duplicate.json().get("state").asString()).isIn("unknown", "pending");
        assertThat(start.status()).as(start.toString()).isEqualTo(200);
        assertThat(sessionId).startsWith("sess_");
        assertThat(chunk.status()).as(chunk.toString()).isEqualTo(200);

        // then: the reads recorded nothing (optimal-edges and a check-duplicate miss are pure reads, SPEC §3)
        assertThat(edgesBody.has("eventId")).isFalse();
        assertThat(duplicate.json().get("instantClone").asBoolean()).isFalse();
        assertThat(byEventId(gateway.topics().dedupChecks(), "it-edges-1", "it-dup-1")).isEmpty();

        // then: the writes, read back from Kafka
        List<ConsumerRecord<String, UploadEvent>> uploads = byEventId(gateway.topics().uploadEvents(), "it-start-1");
        assertThat(uploads).hasSize(1);
        assertThat(uploads.get(0).key()).isEqualTo(sessionId);
        UploadEvent upload = uploads.get(0).value();
        assertThat(upload.getAction()).isEqualTo(UploadAction.START);
        assertThat(upload.getSessionId()).isEqualTo(sessionId);
        assertThat(upload.getUserId()).isEqualTo("usr_123");
        assertThat(upload.getFileName()).isEqualTo("video.mp4");
        assertThat(upload.getFileSize()).isEqualTo(1_073_741_824L);
        assertThat(upload.getFileHash()).isEqualTo(NORMALISED);
        assertThat(upload.getChunkSize()).isEqualTo(4_194_304);
        assertThat(upload.getTotalChunks()).isEqualTo(256);
        assertThat(upload.getEdgeIds()).containsExactly("edge-sfo", "direct-storage");
        assertThat(upload.getPlan()).isEqualTo(Plan.PRO);
        assertThat(upload.getDeviceId()).isEqualTo("desktop-1");
        assertThat(upload.getEventTime()).isEqualTo(Instant.parse("2025-06-01T10:00:00.123Z"));
        assertThat(upload.getReceivedAt()).isAfter(before);
        assertThat(upload.getErrorMessage()).isNull();

        List<ConsumerRecord<String, ChunkEvent>> chunks = byEventId(gateway.topics().chunkEvents(), "it-chunk-1");
        assertThat(chunks).hasSize(1);
        assertThat(chunks.get(0).key()).isEqualTo(sessionId);
        ChunkEvent chunkEvent = chunks.get(0).value();
        assertThat(chunkEvent.getSessionId()).isEqualTo(sessionId);
        assertThat(chunkEvent.getUserId()).isEqualTo("usr_123");
        assertThat(chunkEvent.getChunkIndex()).isZero();
        assertThat(chunkEvent.getStatus()).isEqualTo(ChunkStatus.COMPLETED);
        assertThat(chunkEvent.getEdgeId()).isEqualTo("edge-sfo");
        assertThat(chunkEvent.getChunkBytes()).isEqualTo(4_194_304L);
        assertThat(chunkEvent.getDurationMs()).isEqualTo(350L);
        assertThat(chunkEvent.getEventTime()).isEqualTo(Instant.ofEpochMilli(1_748_772_001_000L));
    }

    @Test
    void shouldTakeThePlanFromTheClientsAccountAndRefuseAnother() throws Exception {
        // given usr_123's account is on the Pro plan
        gateway.keys().savePlan("usr_123", "PRO");
        authenticator.evictAll();

        // when its client key starts uploads without a plan, with its own plan, and with another one
        GatewayHttp.Response implicit = http.post("/api/jetty/track-upload", CLIENT_KEY, """
                {"action":"start","fileName":"a.bin","fileSize":10,"eventId":"it-plan-implicit"}""");
        GatewayHttp.Response same = http.post("/api/jetty/track-upload", CLIENT_KEY, """
                {"action":"start","fileName":"a.bin","fileSize":10,"plan":"pro","eventId":"it-plan-same"}""");
        GatewayHttp.Response other = http.post("/api/jetty/track-upload", CLIENT_KEY, """
                {"action":"start","fileName":"a.bin","fileSize":10,"plan":"business","eventId":"it-plan-other"}""");

        // then the quota-setting plan is the account's
        assertThat(implicit.status()).as(implicit.toString()).isEqualTo(200);
        assertThat(same.status()).as(same.toString()).isEqualTo(200);
        assertThat(other.status()).isEqualTo(403);
        assertThat(other.errorFields()).containsExactly("plan");
        assertThat(byEventId(gateway.topics().uploadEvents(), "it-plan-implicit"))
                .extracting(r -> r.value().getPlan()).containsExactly(io.jettyspeed.schemas.Plan.PRO);
        assertThat(byEventId(gateway.topics().uploadEvents(), "it-plan-other")).isEmpty();
    }

    @Test
    void shouldAcceptTheSeedsCurlCallsThatSendJsonWithoutAContentType() {
        // given: curl -d '{...}' without -H labels the JSON body application/x-www-form-urlencoded
        String body = """
                {"action":"start","userId":"usr_123","fileName":"video.mp4","fileSize":10,"fileHash":"sha256:%s",
                 "eventId":"it-curl-default"}""".formatted(HASH);

        // when
        GatewayHttp.Response response = http.post("/api/jetty/track-upload", ADMIN_KEY,
                "application/x-www-form-urlencoded", body);

        // then
        assertThat(response.status()).as(response.toString()).isEqualTo(200);
        assertThat(byEventId(gateway.topics().uploadEvents(), "it-curl-default"))
                .extracting(r -> r.value().getFileHash()).containsExactly(NORMALISED);
    }

    @Test
    void shouldAcceptMultiLineErrorMessagesButNoOtherControlCharacters() {
        // given: the one free-text field documented to span lines
        String multiLine = """
                {"action":"fail","userId":"usr_123","sessionId":"sess_multiline","error":"timeout\\r\\n\\tat edge-sfo",
                 "eventId":"it-multiline"}""";

        // when
        GatewayHttp.Response accepted = http.post("/api/jetty/track-upload", ADMIN_KEY, multiLine);
        GatewayHttp.Response refused = http.post("/api/jetty/track-upload", ADMIN_KEY,
                multiLine.replace("\\t", "\\u0000").replace("it-multiline", "it-multiline-nul"));

        // then
        assertThat(accepted.status()).as(accepted.toString()).isEqualTo(200);
        assertThat(byEventId(gateway.topics().uploadEvents(), "it-multiline"))
                .extracting(r -> r.value().getErrorMessage()).containsExactly("timeout\r\n\tat edge-sfo");
        assertThat(refused.status()).isEqualTo(400);
        assertThat(refused.errorFields()).containsExactly("error");
    }

    @Test
    void shouldGiveARetriedStartTheSameSession() {
        // given
        String body = """
                {"action":"start","fileName":"a.bin","fileSize":10,"eventId":"it-retry-start"}""";

        // when
        GatewayHttp.Response first = http.post("/api/jetty/track-upload", CLIENT_KEY, body);
        GatewayHttp.Response retry = http.post("/api/jetty/track-upload", CLIENT_KEY, body);

        // then
        assertThat(first.status()).as(first.toString()).isEqualTo(200);
        assertThat(retry.json().get("sessionId")).isEqualTo(first.json().get("sessionId"));
        assertThat(byEventId(gateway.topics().uploadEvents(), "it-retry-start"))
                .extracting(r -> r.value().getUserId()).containsOnly("usr_123");
    }

    @Test
    void shouldPublishEdgeMetricsKeyedByEdge() {
        // when
        GatewayHttp.Response response = http.post("/api/jetty/edge-metrics", EDGE_KEY, """
                {"samples":[
                  {"edgeId":"edge-fra","latencyMs":12.5,"bandwidthMbps":940,"load":0.25,"errorRate":0,
                   "activeConnections":17,"eventId":"it-metric-1","timestamp":"2025-06-01T10:00:00Z"},
                  {"edgeId":"edge-sin","latencyMs":180,"bandwidthMbps":200.5,"load":1,"errorRate":0.02,
                   "eventId":"it-metric-2"}]}""");

        // then
        assertThat(response.status()).as(response.toString()).isEqualTo(202);
        assertThat(response.json().get("accepted").asInt()).isEqualTo(2);
        assertThat(response.json().get("eventIds").valueStream().map(id -> id.asString()))
                .containsExactly("it-metric-1", "it-metric-2");
        assertThat(response.header("Content-Type")).startsWith("application/json");
        List<ConsumerRecord<String, EdgeMetricSample>> samples =
                byEventId(gateway.topics().edgeMetrics(), "it-metric-1", "it-metric-2");
        assertThat(samples).extracting(ConsumerRecord::key).containsExactlyInAnyOrder("edge-fra", "edge-sin");
        EdgeMetricSample fra = value(samples, "it-metric-1");
        assertThat(fra.getEdgeId()).isEqualTo("edge-fra");
        assertThat(fra.getLatencyMs()).isEqualTo(12.5);
        assertThat(fra.getBandwidthMbps()).isEqualTo(940.0);
        assertThat(fra.getLoad()).isEqualTo(0.25);
        assertThat(fra.getErrorRate()).isEqualTo(0.0);
        assertThat(fra.getActiveConnections()).isEqualTo(17);
        assertThat(fra.getEventTime()).isEqualTo(Instant.parse("2025-06-01T10:00:00Z"));
        EdgeMetricSample sin = value(samples, "it-metric-2");
        assertThat(sin.getLoad()).isEqualTo(1.0);
        assertThat(sin.getActiveConnections()).isNull();
    }

    @Test
    void shouldPublishAMixedBatchFillingTheClientsUser() {
        // when
        GatewayHttp.Response response = http.post("/api/jetty/events", CLIENT_KEY, """
                {"events":[
                  {"type":"upload","action":"start","fileName":"b.bin","fileSize":100,"eventId":"it-batch-1"},
                  {"type":"upload","action":"complete","sessionId":"sess_b","bytesUploaded":100,"eventId":"it-batch-2"},
                  {"type":"chunk","sessionId":"sess_b","chunkIndex":3,"status":"failed","error":"timeout","eventId":"it-batch-3"},
                  {"type":"dedup-check","fileHash":"%s","fileSize":100,"fileName":"b.bin","eventId":"it-batch-4"}]}"""
                .formatted(HASH));

        // then
        assertThat(response.status()).as(response.toString()).isEqualTo(202);
        JsonNode body = response.json();
        assertThat(body.get("accepted").asInt()).isEqualTo(4);
        assertThat(body.get("published").asInt()).isEqualTo(3);
        assertThat(body.get("counts").get("upload").asInt()).isEqualTo(2);
        assertThat(body.get("counts").get("chunk").asInt()).isEqualTo(1);
        assertThat(body.get("counts").get("dedup-check").asInt()).isEqualTo(1);
        assertThat(body.get("counts").get("edge-metric").asInt()).isZero();
        String newSession = body.get("events").get(0).get("sessionId").asString();

        List<ConsumerRecord<String, UploadEvent>> uploads = byEventId(gateway.topics().uploadEvents(), "it-batch-1", "it-batch-2");
        assertThat(uploads).extracting(ConsumerRecord::key).containsExactlyInAnyOrder(newSession, "sess_b");
        assertThat(uploads).extracting(r -> r.value().getUserId()).containsOnly("usr_123");
        assertThat(value(uploads, "it-batch-2").getAction()).isEqualTo(UploadAction.COMPLETE);
        assertThat(value(uploads, "it-batch-2").getBytesUploaded()).isEqualTo(100L);
        ChunkEvent chunk = value(byEventId(gateway.topics().chunkEvents(), "it-batch-3"), "it-batch-3");
        assertThat(chunk.getStatus()).isEqualTo(ChunkStatus.FAILED);
        assertThat(chunk.getErrorMessage()).isEqualTo("timeout");
        assertThat(chunk.getUserId()).isEqualTo("usr_123");
        // the dedup check is a miss (no content is indexed here): answered, recorded nowhere
        JsonNode check = body.get("events").get(3);
        assertThat(check.get("type").asString()).isEqualTo("dedup-check");
        assertThat(check.get("isDuplicate").asBoolean()).isFalse();
        assertThat(check.get("recorded").asBoolean()).isFalse();
        assertThat(byEventId(gateway.topics().dedupChecks(), "it-batch-4")).isEmpty();
    }

    @Test
    void shouldServeOpenApiHealthAndMetricsWithoutAKey() {
        // given: one event published, so the producer exists whatever ran before
        assertThat(http.post("/api/jetty/edge-metrics", EDGE_KEY, """
                {"samples":[{"edgeId":"edge-fra","latencyMs":12.5,"bandwidthMbps":940,"load":0.25,"errorRate":0}]}
                """).status()).isEqualTo(202);

        // when
        GatewayHttp.Response unauthenticated = http.post("/api/jetty/edge-metrics", null, "{\"samples\":[]}");
        GatewayHttp.Response docs = http.get("/v3/api-docs", null);
        GatewayHttp.Response readiness = http.get("/actuator/health/readiness", null);
        GatewayHttp.Response liveness = http.get("/actuator/health/liveness", null);
        GatewayHttp.Response prometheus = http.get("/actuator/prometheus", null);

        // then
        assertThat(docs.status()).isEqualTo(200);
        assertThat(docs.json().get("paths").propertyNames()).contains("/api/jetty/track-upload",
                "/api/jetty/cache-chunk", "/api/jetty/check-duplicate", "/api/jetty/optimal-edges",
                "/api/jetty/edge-metrics", "/api/jetty/events");
        assertThat(docs.json().get("paths").get("/api/jetty/check-duplicate").get("post").get("parameters").valueStream()
                .map(p -> p.get("in").asString() + ":" + p.get("name").asString())).contains("header:Prefer");
        assertThat(readiness.status()).as(readiness.toString()).isEqualTo(200);
        assertThat(readiness.json().get("status").asString()).isEqualTo("UP");
        assertThat(readiness.json().get("components").propertyNames()).contains("kafka", "db", "views");
        assertThat(liveness.status()).isEqualTo(200);
        assertThat(liveness.json().get("components").propertyNames()).containsExactly("livenessState");
        assertThat(prometheus.status()).isEqualTo(200);
        assertThat(prometheus.raw().body()).contains("http_server_requests", "jetty_gateway_view_freshness_age_seconds",
                "jetty_gateway_dedup_answers_total", "jetty_gateway_read_wait_seconds",
                "jetty_gateway_events_published_total", "jetty_gateway_events_unacknowledged_total");
        // http.server.requests with the tags the Grafana dashboard selects by (method, uri, status), whichever
        // jetty.gateway.http-metrics records it: the route's template for a routed request, UNKNOWN for a 401
        assertThat(unauthenticated.status()).isEqualTo(401);
        assertThat(prometheus.raw().body().lines().filter(line -> line.startsWith("http_server_requests_seconds_count{")))
                .anyMatch(line -> line.contains("method=\"GET\"") && line.contains("status=\"200\"")
                        && line.contains("uri=\"/v3/api-docs\"") && line.contains("outcome=\"SUCCESS\""))
                .anyMatch(line -> line.contains("method=\"POST\"") && line.contains("status=\"401\"")
                        && line.contains("uri=\"UNKNOWN\""));
        assertThat(prometheus.raw().body()).contains("http_server_requests_seconds_sum{", "http_server_requests_seconds_max{");
        // the publishing producer's own metrics, with what it sent
        assertThat(prometheus.raw().body().lines().filter(line -> line.startsWith("kafka_producer_record_send_total{")))
                .anyMatch(line -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)) >= 1);
        assertThat(prometheus.raw().body()).contains("kafka_producer_request_total{", "kafka_producer_request_latency_avg{");
    }

    private static <V extends org.apache.avro.generic.GenericRecord> List<ConsumerRecord<String, V>> byEventId(
            Topic<String, V> topic, String... eventIds) {
        Set<String> wanted = Set.of(eventIds);
        return TopicReader.readAll(topic).stream()
                .filter(r -> wanted.contains(String.valueOf(r.value().get("eventId"))))
                .toList();
    }

    private static <V extends org.apache.avro.generic.GenericRecord> V value(List<ConsumerRecord<String, V>> records,
            String eventId) {
        return records.stream().map(ConsumerRecord::value)
                .filter(v -> eventId.equals(String.valueOf(v.get("eventId")))).findFirst().orElseThrow();
    }
}
