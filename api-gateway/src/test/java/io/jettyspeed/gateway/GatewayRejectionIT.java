package io.jettyspeed.gateway;

import io.jettyspeed.testing.GatewayHttp;
import static org.assertj.core.api.Assertions.assertThat;

import io.jettyspeed.gateway.security.ApiKeyRepository;
import io.jettyspeed.gateway.security.Scope;
import io.jettyspeed.schemas.Topics;
import io.jettyspeed.testing.PostgresSchema;
import io.jettyspeed.testing.SharedKafka;
import io.jettyspeed.testing.TopicReader;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Bad requests of every kind against the real gateway: each is refused with the right status, a
 * problem document naming the offending field, and nothing reaches Kafka.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = "spring.config.name=api-gateway")
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class GatewayRejectionIT {

    static final String ADMIN_KEY = "ac_rejadmin_rejectionadminsecret0000000001";
    static final String CLIENT_KEY = "ac_rejclient_rejectionclientsecret000000001";
    static final String EDGE_KEY = "ac_rejedge_rejectionedgesecret0000000000001";
    static final String ANALYST_KEY = "ac_rejanalyst_rejectionanalystsecret00000001";
    static final String SLOW_KEY = "ac_rejslow_rejectionslowsecret0000000000001";
    static final String REVOKED_KEY = "ac_rejrevoked_rejectionrevokedsecret00000001";
    static final String HASH = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08";
    static final String PROBLEM = "application/problem+json";

    @RegisterExtension
    static final PostgresSchema postgres = new PostgresSchema();

    static final Topics topics = SharedKafka.freshTopics();

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        GatewayTestInfrastructure.kafka(registry, topics);
        GatewayTestInfrastructure.database(registry, postgres);
    }

    @LocalServerPort
    int port;

    @Autowired
    ApiKeyRepository keys;

    GatewayHttp http;

    @BeforeEach
    void keysAndClient() throws Exception {
        keys.save(ADMIN_KEY, Set.of(Scope.ADMIN), null, "", 10_000, true);
        keys.save(CLIENT_KEY, Set.of(Scope.CLIENT), "usr_1", "", 10_000, true);
        keys.save(EDGE_KEY, Set.of(Scope.EDGE), null, "", 10_000, true);
        keys.save(ANALYST_KEY, Set.of(Scope.ANALYST), null, "", 10_000, true);
        keys.save(SLOW_KEY, Set.of(Scope.CLIENT), "usr_slow", "", 1, true);
        http = new GatewayHttp(port);
    }

    static Stream<Arguments> badRequests() {
        String start = "\"action\":\"start\",\"userId\":\"usr_1\",\"fileName\":\"a.bin\"";
        String sample = "\"edgeId\":\"edge-sfo\",\"latencyMs\":10,\"bandwidthMbps\":100,\"load\":0.5,\"errorRate\":0.01";
        String location = "\"userId\":\"usr_1\",\"fileSize\":10,\"fileHash\":\"" + HASH + "\"";
        String manyEvents = IntStream.range(0, 501).mapToObj(i -> "{\"type\":\"chunk\"}")
                .collect(Collectors.joining(",", "{\"events\":[", "]}"));
        return Stream.of(
                bad("unknown action", "track-upload", "{\"action\":\"pause\",\"userId\":\"usr_1\",\"sessionId\":\"s1\"}", "action"),
                bad("missing action", "track-upload", "{\"userId\":\"usr_1\",\"sessionId\":\"s1\"}", "action"),
                bad("start without file name and size", "track-upload", "{\"action\":\"start\",\"userId\":\"usr_1\"}", "fileName", "fileSize"),
                bad("negative file size", "track-upload", "{" + start + ",\"fileSize\":-1}", "fileSize"),
                bad("file larger than 5 TiB", "track-upload", "{" + start + ",\"fileSize\":5497558138881}", "fileSize"),
                bad("absurd file size beyond long", "track-upload", "{" + start + ",\"fileSize\":1e30}", "fileSize"),
                bad("file size as a string", "track-upload", "{" + start + ",\"fileSize\":\"big\"}", "fileSize"),
                bad("chunk size below 64 KiB", "track-upload", "{" + start + ",\"fileSize\":10,\"chunkSize\":1000}", "chunkSize"),
                bad("chunk size above 1 GiB", "track-upload", "{" + start + ",\"fileSize\":10,\"chunkSize\":2147483648}", "chunkSize"),
                bad("seed's placeholder hash", "track-upload", "{" + start + ",\"fileSize\":10,\"fileHash\":\"sha256:test123\"}", "fileHash"),
                bad("progress without session", "track-upload", "{\"action\":\"progress\",\"userId\":\"usr_1\",\"bytesUploaded\":5}", "sessionId"),
                bad("total chunks not matching the file", "track-upload", "{" + start + ",\"fileSize\":1048576,\"chunkSize\":65536,\"totalChunks\":3}", "totalChunks"),
                bad("more bytes uploaded than the file has", "track-upload", "{\"action\":\"progress\",\"userId\":\"usr_1\",\"sessionId\":\"s1\",\"fileSize\":10,\"bytesUploaded\":11}", "bytesUploaded"),
                bad("unknown plan", "track-upload", "{" + start + ",\"fileSize\":10,\"plan\":\"gold\"}", "plan"),
                bad("unknown edge in edgeIds", "track-upload", "{" + start + ",\"fileSize\":10,\"edgeIds\":[\"edge-sfo\",\"edge-xyz\"]}", "edgeIds[1]"),
                bad("timestamp a day ahead", "track-upload", "{" + start + ",\"fileSize\":10,\"timestamp\":\"2999-01-01T00:00:00Z\"}", "timestamp"),
                bad("timestamp not a time", "track-upload", "{" + start + ",\"fileSize\":10,\"timestamp\":\"yesterday\"}", "timestamp"),
                bad("timestamp in epoch seconds", "track-upload", "{" + start + ",\"fileSize\":10,\"timestamp\":1748772001}", "timestamp"),
                bad("admin key without userId", "track-upload", "{\"action\":\"start\",\"fileName\":\"a\",\"fileSize\":1}", "userId"),
                bad("eventId with spaces", "track-upload", "{" + start + ",\"fileSize\":10,\"eventId\":\"a b\"}", "eventId"),
                bad("unknown chunk status", "cache-chunk", "{\"sessionId\":\"s1\",\"chunkIndex\":0,\"status\":\"done\"}", "status"),
                bad("negative chunk index", "cache-chunk", "{\"sessionId\":\"s1\",\"chunkIndex\":-1,\"status\":\"pending\"}", "chunkIndex"),
                bad("chunk index past the file", "cache-chunk", "{\"sessionId\":\"s1\",\"chunkIndex\":10,\"totalChunks\":10,\"status\":\"pending\"}", "chunkIndex"),
                bad("fractional chunk index", "cache-chunk", "{\"sessionId\":\"s1\",\"chunkIndex\":1.5,\"status\":\"pending\"}", "chunkIndex"),
                bad("unknown chunk edge", "cache-chunk", "{\"sessionId\":\"s1\",\"chunkIndex\":0,\"status\":\"pending\",\"edgeId\":\"edge-moon\"}", "edgeId"),
                bad("chunk without session, index or status", "cache-chunk", "{}", "sessionId", "chunkIndex", "status"),
                bad("missing hash", "check-duplicate", "{\"userId\":\"usr_1\"}", "fileHash"),
                bad("hash one character short", "check-duplicate", "{\"userId\":\"usr_1\",\"fileHash\":\"" + HASH.substring(1) + "\"}", "fileHash"),
                bad("hash as a number", "check-duplicate", "{\"userId\":\"usr_1\",\"fileHash\":12}", "fileHash"),
                bad("latitude out of range", "optimal-edges", "{" + location + ",\"userLocation\":{\"lat\":91,\"lng\":0}}", "userLocation.lat"),
                bad("longitude out of range", "optimal-edges", "{" + location + ",\"userLocation\":{\"lat\":0,\"lng\":-180.5}}", "userLocation.lng"),
                bad("missing location", "optimal-edges", "{" + location + "}", "userLocation"),
                bad("location as a string", "optimal-edges", "{" + location + ",\"userLocation\":\"SF\"}", "userLocation"),
                bad("latitude as a string", "optimal-edges", "{" + location + ",\"userLocation\":{\"lat\":\"37\",\"lng\":1}}", "userLocation.lat"),
                bad("unknown edge in metrics", "edge-metrics", "{\"samples\":[{" + sample.replace("edge-sfo", "edge-xyz") + "}]}", "samples[0].edgeId"),
                bad("load above 1", "edge-metrics", "{\"samples\":[{" + sample.replace("\"load\":0.5", "\"load\":1.5") + "}]}", "samples[0].load"),
                bad("negative error rate in second sample", "edge-metrics", "{\"samples\":[{" + sample + "},{" + sample.replace("\"errorRate\":0.01", "\"errorRate\":-0.1") + "}]}", "samples[1].errorRate"),
                bad("negative latency", "edge-metrics", "{\"samples\":[{" + sample.replace("\"latencyMs\":10", "\"latencyMs\":-3") + "}]}", "samples[0].latencyMs"),
                bad("empty sample batch", "edge-metrics", "{\"samples\":[]}", "samples"),
                bad("empty event batch", "events", "{\"events\":[]}", "events"),
                bad("batch of 501 events", "events", manyEvents, "events"),
                bad("unknown event type", "events", "{\"events\":[{\"type\":\"click\"}]}", "events[0].type"),
                bad("one bad event among good ones", "events", "{\"events\":[{\"type\":\"edge-metric\"," + sample + "},"
                        + "{\"type\":\"upload\"," + start + ",\"fileSize\":-5}]}", "events[1].fileSize"),
                bad("event that is not an object", "events", "{\"events\":[42]}", "events[0]"),
                bad("malformed JSON", "check-duplicate", "{\"fileHash\":", "body"),
                bad("JSON array instead of object", "check-duplicate", "[1,2]", "body"),
                bad("duplicate key", "check-duplicate", "{\"fileHash\":\"" + HASH + "\",\"fileHash\":\"" + HASH + "\",\"userId\":\"u\"}", "body"),
                bad("trailing garbage", "check-duplicate", "{\"fileHash\":\"" + HASH + "\",\"userId\":\"u\"} x", "body"),
                bad("empty body", "check-duplicate", "", "body"));
    }

    private static Arguments bad(String description, String endpoint, String body, String... fields) {
        return Arguments.of(description, endpoint, body, fields);
    }

    @Order(1)
    @ParameterizedTest(name = "{0}")
    @MethodSource("badRequests")
    void shouldRejectBadRequestNamingTheField(String description, String endpoint, String body, String[] fields) {
        // when
        GatewayHttp.Response response = http.post("/api/jetty/" + endpoint, ADMIN_KEY, body);

        // then
        assertThat(response.status()).as(response.toString()).isEqualTo(400);
        assertThat(response.contentType()).startsWith(PROBLEM);
        assertThat(response.json().get("status").asInt()).isEqualTo(400);
        assertThat(response.json().get("type").asString()).endsWith("/invalid-request");
        assertThat(response.json().get("instance").asString()).isEqualTo("/api/jetty/" + endpoint);
        assertThat(response.errorFields()).as(response.toString()).containsAll(Arrays.asList(fields));
        assertThat(response.raw().body()).doesNotContain("Exception", "at io.", "at org.");
    }

    @Order(2)
    @Test
    void shouldNameEveryOffendingFieldAtOnce() {
        // when
        GatewayHttp.Response response = http.post("/api/jetty/track-upload", ADMIN_KEY, """
                {"action":"start","userId":"usr_1","fileName":"","fileSize":-1,"fileHash":"abc","chunkSize":"x",
                 "plan":"gold","edgeIds":["edge-xyz"],"timestamp":true}""");

        // then
        assertThat(response.status()).isEqualTo(400);
        assertThat(response.errorFields()).containsExactlyInAnyOrder("fileName", "fileSize", "fileHash", "chunkSize",
                "plan", "edgeIds[0]", "timestamp");
    }

    @Order(3)
    @Test
    void shouldAnswer401WithoutAWrongOrARevokedKey() throws Exception {
        // given
        keys.save(REVOKED_KEY, Set.of(Scope.ADMIN), null, "", 100, true);
        keys.revoke("rejrevoked");
        // a dev key row left behind by a local run must not work outside the local profile
        keys.save("ac_local_jettyspeeddevkey0000000000", Set.of(Scope.ADMIN), null, "", 100, true);
        String body = "{\"fileHash\":\"" + HASH + "\",\"userId\":\"usr_1\"}";

        // when
        GatewayHttp.Response none = http.post("/api/jetty/check-duplicate", null, body);
        GatewayHttp.Response wrongSecret = http.post("/api/jetty/check-duplicate",
                ADMIN_KEY.substring(0, ADMIN_KEY.length() - 1) + "2", body);
        GatewayHttp.Response malformed = http.post("/api/jetty/check-duplicate", "your_production_api_key", body);
        GatewayHttp.Response revoked = http.post("/api/jetty/check-duplicate", REVOKED_KEY, body);
        GatewayHttp.Response devKey = http.post("/api/jetty/check-duplicate", "ac_local_jettyspeeddevkey0000000000", body);

        // then
        for (GatewayHttp.Response response : new GatewayHttp.Response[] {none, wrongSecret, malformed, revoked, devKey}) {
            assertThat(response.status()).as(response.toString()).isEqualTo(401);
            assertThat(response.contentType()).startsWith(PROBLEM);
            assertThat(response.header("WWW-Authenticate")).startsWith("Bearer");
        }
    }

    @Order(4)
    @Test
    void shouldAnswer403ForAnotherUserOrTheWrongScope() {
        // given
        String dedup = "{\"fileHash\":\"" + HASH + "\",\"userId\":\"usr_2\"}";
        String sample = "{\"samples\":[{\"edgeId\":\"edge-sfo\",\"latencyMs\":10,\"bandwidthMbps\":100,\"load\":0.5,\"errorRate\":0}]}";

        // when
        GatewayHttp.Response otherUser = http.post("/api/jetty/check-duplicate", CLIENT_KEY, dedup);
        GatewayHttp.Response otherUserInBatch = http.post("/api/jetty/events", CLIENT_KEY, """
                {"events":[{"type":"chunk","sessionId":"s1","chunkIndex":0,"status":"pending"},
                           {"type":"chunk","sessionId":"s1","chunkIndex":1,"status":"pending","userId":"usr_2"}]}""");
        GatewayHttp.Response clientOnMetrics = http.post("/api/jetty/edge-metrics", CLIENT_KEY, sample);
        GatewayHttp.Response edgeOnUploads = http.post("/api/jetty/track-upload", EDGE_KEY,
                "{\"action\":\"fail\",\"userId\":\"usr_1\",\"sessionId\":\"s1\"}");
        GatewayHttp.Response edgeBatchWithUpload = http.post("/api/jetty/events", EDGE_KEY,
                "{\"events\":[{\"type\":\"upload\",\"action\":\"fail\",\"userId\":\"usr_1\",\"sessionId\":\"s1\"}]}");
        GatewayHttp.Response analystWrites = http.post("/api/jetty/check-duplicate", ANALYST_KEY, dedup);

        // then
        assertThat(otherUser.status()).as(otherUser.toString()).isEqualTo(403);
        assertThat(otherUser.errorFields()).containsExactly("userId");
        assertThat(otherUserInBatch.status()).isEqualTo(403);
        assertThat(otherUserInBatch.errorFields()).containsExactly("events[1].userId");
        assertThat(edgeBatchWithUpload.status()).isEqualTo(403);
        assertThat(edgeBatchWithUpload.errorFields()).containsExactly("events[0].type");
        for (GatewayHttp.Response response : new GatewayHttp.Response[] {clientOnMetrics, edgeOnUploads, analystWrites}) {
            assertThat(response.status()).as(response.toString()).isEqualTo(403);
            assertThat(response.contentType()).startsWith(PROBLEM);
            assertThat(response.json().get("type").asString()).endsWith("/forbidden");
        }
    }

    @Order(5)
    @Test
    void shouldAnswer429WithRetryAfterPastTheKeysRate() {
        // given: a key limited to one request per second
        String body = "{\"fileHash\":\"bad\"}";

        // when
        GatewayHttp.Response first = http.post("/api/jetty/check-duplicate", SLOW_KEY, body);
        GatewayHttp.Response second = http.post("/api/jetty/check-duplicate", SLOW_KEY, body);

        // then
        assertThat(first.status()).isEqualTo(400);
        assertThat(second.status()).isEqualTo(429);
        assertThat(second.contentType()).startsWith(PROBLEM);
        assertThat(Integer.parseInt(second.header("Retry-After"))).isBetween(1, 2);
    }

    @Order(6)
    @Test
    void shouldAnswer413ForBodiesOverOneMebibyteWithOrWithoutContentLength() {
        // given
        byte[] large = ("{\"fileHash\":\"" + "a".repeat(1024 * 1024) + "\"}").getBytes(StandardCharsets.UTF_8);

        // when
        GatewayHttp.Response declared = http.post("/api/jetty/check-duplicate", ADMIN_KEY,
                new String(large, StandardCharsets.UTF_8));
        GatewayHttp.Response chunked = http.postChunked("/api/jetty/check-duplicate", ADMIN_KEY, large);

        // then
        for (GatewayHttp.Response response : new GatewayHttp.Response[] {declared, chunked}) {
            assertThat(response.status()).as(response.toString()).isEqualTo(413);
            assertThat(response.contentType()).startsWith(PROBLEM);
            assertThat(response.errorFields()).containsExactly("body");
        }
    }

    @Order(7)
    @Test
    void shouldAnswer415405And404AsProblems() {
        // given
        String body = "{\"fileHash\":\"" + HASH + "\",\"userId\":\"usr_1\"}";

        // when
        GatewayHttp.Response textPlain = http.post("/api/jetty/check-duplicate", ADMIN_KEY, "text/plain", body);
        GatewayHttp.Response xml = http.post("/api/jetty/check-duplicate", ADMIN_KEY, "application/xml", body);
        // curl -d without -H sends JSON labelled as a form (the seed's calls); a real form body is still refused
        GatewayHttp.Response form = http.post("/api/jetty/check-duplicate", ADMIN_KEY,
                "application/x-www-form-urlencoded", "fileHash=" + HASH + "&userId=usr_1");
        GatewayHttp.Response wrongMethod = http.get("/api/jetty/check-duplicate", ADMIN_KEY);
        GatewayHttp.Response unknownPath = http.post("/api/jetty/nothing-here", ADMIN_KEY, body);

        // then
        assertThat(textPlain.status()).isEqualTo(415);
        assertThat(textPlain.errorFields()).containsExactly("Content-Type");
        assertThat(xml.status()).isEqualTo(415);
        assertThat(form.status()).isEqualTo(400);
        assertThat(form.errorFields()).containsExactly("body");
        assertThat(wrongMethod.status()).isEqualTo(405);
        assertThat(unknownPath.status()).isEqualTo(404);
        for (GatewayHttp.Response response : new GatewayHttp.Response[] {textPlain, xml, form, wrongMethod, unknownPath}) {
            assertThat(response.contentType()).as(response.toString()).startsWith(PROBLEM);
            assertThat(response.json().get("title").asString()).isNotBlank();
        }
    }

    @Order(100)
    @Test
    void shouldHavePublishedNothingForAnyRejectedRequest() {
        // then
        assertThat(TopicReader.readAll(topics.uploadEvents())).isEmpty();
        assertThat(TopicReader.readAll(topics.chunkEvents())).isEmpty();
        assertThat(TopicReader.readAll(topics.edgeMetrics())).isEmpty();
        assertThat(TopicReader.readAll(topics.dedupChecks())).isEmpty();
    }
}
