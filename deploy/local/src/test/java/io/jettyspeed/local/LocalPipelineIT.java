package io.jettyspeed.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.jettyspeed.schemas.ChunkEvent;
import io.jettyspeed.schemas.ChunkStatus;
import io.jettyspeed.schemas.Topic;
import io.jettyspeed.schemas.Topics;
import io.jettyspeed.schemas.UploadAction;
import io.jettyspeed.schemas.UploadEvent;
import io.jettyspeed.testing.GatewayHttp;
import io.jettyspeed.testing.TopicReader;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's run command, end to end: the launcher creates a database that does not exist,
 * starts its own Kafka broker and the three services, and the seed's calls work with the printed
 * local key — the first {@code optimal-edges} already recommends edges (unprobed), events land on
 * their topics, and the answers then come from live state.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class LocalPipelineIT {

    static final String LOCAL_KEY = ThrowawayPipeline.LOCAL_KEY;
    static final String HASH = "2c26b46b68ffc68ff99b453c1d30413413422d706483bfa0f98a5e886266e7ae";
    static final String README_HASH = "sha256:9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08";

    @TempDir
    static Path dataDir;

    static ThrowawayPipeline pipeline;
    static LocalSettings settings;
    static GatewayHttp http;
    static String sessionId;

    @BeforeAll
    static void startPipeline() throws Exception {
        pipeline = ThrowawayPipeline.start(dataDir);
        settings = pipeline.settings();
        http = pipeline.http();
    }

    @AfterAll
    static void stopPipeline() throws Exception {
        if (pipeline != null) {
            pipeline.close();
        }
    }

    @Test
    @Order(0)
    void shouldRecommendTheNearestEdgesMarkedUnprobedOnTheFirstCallOfAFreshRun() {
        // when: the README's optimal-edges call, first thing after the start, before any probe has reported
        var edges = http.post("/api/jetty/optimal-edges", LOCAL_KEY, """
                {"userId":"usr_123","fileSize":1073741824,"fileHash":"%s",
                 "userLocation":{"lat":37.7749,"lng":-122.4194}}""".formatted(README_HASH));
        var health = http.get("/api/jetty/edges", LOCAL_KEY);

        // then: the nearest edges, each marked unprobed, and the fallback at its tenth; not degraded
        assertThat(edges.status()).as(edges.toString()).isEqualTo(200);
        System.out.println("optimal-edges on a fresh run: " + edges.json());
        assertThat(edges.json().get("degraded").asBoolean()).as(edges.toString()).isFalse();
        List<String> ids = new ArrayList<>();
        edges.json().get("edges").forEach(edge -> ids.add(edge.get("edgeId").asString()));
        assertThat(ids).containsExactly("edge-sfo", "edge-lax", "edge-sea", "edge-dfw", "edge-ord", "direct-storage");
        for (int i = 0; i < 5; i++) {
            assertThat(edges.json().get("edges").get(i).get("unprobed").asBoolean()).isTrue();
        }
        assertThat(edges.json().get("edges").get(5).get("weight").asDouble()).isEqualTo(0.10);
        // and the edge list says why: every edge unprobed
        assertThat(health.status()).isEqualTo(200);
        health.json().get("edges").forEach(edge -> assertThat(edge.get("state").asString()).isEqualTo("unprobed"));
        // and indeed nothing has reported an edge yet
        Topics topics = Topics.standard();
        assertThat(all(topics.edgeMetrics())).isEmpty();
        assertThat(all(topics.edgeHealth())).isEmpty();
    }

    @Test
    @Order(1)
    void shouldServeTheSeedsFourCallsAndPublishTheirEvents() {
        // when: the seed's calls, with the printed key (curl's default content type, as in the seed)
        var start = http.post("/api/jetty/track-upload", LOCAL_KEY, "application/x-www-form-urlencoded", """
                {"action":"start","userId":"usr_123","fileName":"video.mp4","fileSize":1073741824,
                 "fileHash":"sha256:%s","chunkSize":8388608,"totalChunks":128}""".formatted(HASH));
        sessionId = start.json().get("sessionId").asString();
        var chunk = http.post("/api/jetty/cache-chunk", LOCAL_KEY, "application/x-www-form-urlencoded", """
                {"sessionId":"%s","chunkIndex":0,"status":"completed","edgeId":"edge-sfo","chunkSize":8388608,
                 "durationMs":400}""".formatted(sessionId));
        var duplicate = http.post("/api/jetty/check-duplicate", LOCAL_KEY, """
                {"fileHash":"sha256:%s","userId":"usr_123"}""".formatted(HASH));
        var edges = http.post("/api/jetty/optimal-edges", LOCAL_KEY, """
                {"userId":"usr_123","fileSize":1073741824,"fileHash":"sha256:%s",
                 "userLocation":{"lat":37.7749,"lng":-122.4194}}""".formatted(HASH));

        // then
        assertThat(List.of(start, chunk, duplicate, edges)).allSatisfy(r -> assertThat(r.status()).as(r.toString()).isEqualTo(200));
        assertThat(duplicate.json().get("isDuplicate").asBoolean()).isFalse();
        Topics topics = Topics.standard();
        UploadEvent started = single(topics.uploadEvents(), sessionId).value();
        assertThat(started.getAction()).isEqualTo(UploadAction.START);
        assertThat(started.getUserId()).isEqualTo("usr_123");
        assertThat(started.getFileName()).isEqualTo("video.mp4");
        assertThat(started.getFileSize()).isEqualTo(1_073_741_824L);
        assertThat(started.getFileHash()).isEqualTo(HASH);
        assertThat(started.getChunkSize()).isEqualTo(8_388_608);
        assertThat(started.getTotalChunks()).isEqualTo(128);
        ChunkEvent chunked = single(topics.chunkEvents(), sessionId).value();
        assertThat(chunked.getChunkIndex()).isZero();
        assertThat(chunked.getStatus()).isEqualTo(ChunkStatus.COMPLETED);
        assertThat(chunked.getEdgeId()).isEqualTo("edge-sfo");
        assertThat(chunked.getDurationMs()).isEqualTo(400L);
        // and the reads published nothing: a miss records no clone and optimal-edges records nothing (SPEC §3)
        assertThat(all(topics.dedupChecks())).isEmpty();
    }

    @Test
    @Order(2)
    void shouldAnswerFromLiveStateOnceTheProcessorsHaveSeenTheEvents() {
        // given: probes report every edge, and the upload completes
        StringBuilder samples = new StringBuilder();
        for (String edge : List.of("edge-sfo", "edge-lax", "edge-sea", "edge-dfw", "edge-ord", "edge-iad", "edge-nyc")) {
            samples.append(samples.isEmpty() ? "" : ",").append("""
                    {"edgeId":"%s","latencyMs":40,"bandwidthMbps":900,"load":0.3,"errorRate":0.0}""".formatted(edge));
        }
        assertThat(http.post("/api/jetty/edge-metrics", LOCAL_KEY, "{\"samples\":[" + samples + "]}").status()).isEqualTo(202);
        assertThat(http.post("/api/jetty/track-upload", LOCAL_KEY, """
                {"action":"complete","sessionId":"%s","userId":"usr_123","fileHash":"sha256:%s",
                 "fileSize":1073741824,"bytesUploaded":1073741824}""".formatted(sessionId, HASH)).status()).isEqualTo(200);

        // then: edge choice is computed from health and distance, San Francisco first for a client there
        await().atMost(Duration.ofSeconds(90)).untilAsserted(() -> {
            var edges = http.post("/api/jetty/optimal-edges", LOCAL_KEY, """
                    {"userId":"usr_123","fileSize":1073741824,"fileHash":"sha256:%s",
                     "userLocation":{"lat":37.7749,"lng":-122.4194}}""".formatted(HASH)).json();
            assertThat(edges.get("degraded").asBoolean()).isFalse();
            assertThat(edges.get("edges").get(0).get("edgeId").asString()).isEqualTo("edge-sfo");
            double total = 0;
            for (var edge : edges.get("edges")) {
                total += edge.get("weight").asDouble();
            }
            assertThat(total).isCloseTo(1.0, org.assertj.core.data.Offset.offset(1e-9));
        });
        // and another user's check finds the stored file
        await().atMost(Duration.ofSeconds(90)).untilAsserted(() -> {
            var duplicate = http.post("/api/jetty/check-duplicate", LOCAL_KEY, """
                    {"fileHash":"%s","userId":"usr_456"}""".formatted(HASH)).json();
            assertThat(duplicate.get("isDuplicate").asBoolean()).isTrue();
            assertThat(duplicate.get("existingFile").get("ownerUserId").asString()).isEqualTo("usr_123");
        });
        // and the session, resumable state and the analyst view reach PostgreSQL through the sink
        await().atMost(Duration.ofSeconds(90)).untilAsserted(() -> {
            var session = http.get("/api/jetty/sessions/" + sessionId, LOCAL_KEY).json();
            assertThat(session.get("status").asString()).isEqualTo("completed");
            assertThat(query("SELECT uploads_completed FROM user_upload_stats WHERE user_id = 'usr_123'"))
                    .containsExactly("1");
        });
    }

    private static List<String> query(String sql) throws Exception {
        try (Connection c = DriverManager.getConnection(settings.dbUrl(), "postgres", "");
                Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            List<String> rows = new ArrayList<>();
            while (rs.next()) {
                rows.add(rs.getString(1));
            }
            return rows;
        }
    }

    private static <V> ConsumerRecord<String, V> single(Topic<String, V> topic, String key) {
        List<ConsumerRecord<String, V>> records = all(topic).stream().filter(r -> key.equals(r.key())).toList();
        assertThat(records).hasSize(1);
        return records.get(0);
    }

    private static <V> List<ConsumerRecord<String, V>> all(Topic<String, V> topic) {
        return TopicReader.readAll("localhost:" + settings.kafkaPort(), topic);
    }
}
