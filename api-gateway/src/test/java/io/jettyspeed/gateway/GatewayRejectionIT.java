package io.jettyspeed.gateway;

import io.jettyspeed.testing.GatewayHttp;
import static org.assertj.core.api.Assertions.assertThat;

import io.jettyspeed.gateway.security.Scope;
import io.jettyspeed.testing.TopicOffsets;
import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.boot.test.context.SpringBootTest;

/**
 * Bad requests of every kind against the real gateway: each is refused with the right status, a
 * problem document naming the offending field, and nothing reaches Kafka (the end offsets of the
 * four ingest topics are the same after the request as before). The catalogue of 400s is generated
 * in {@link BadRequests}: every text field × every kind of forbidden text, every numeric field ×
 * every number outside its type, every endpoint × every kind of invalid UTF-8, and the hand-written
 * rules of each endpoint ({@link HandWritten}).
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
    static final GatewayUnderTest gateway = new GatewayUnderTest()
            .withKey(ADMIN_KEY, Scope.ADMIN, null, 10_000)
            .withKey(CLIENT_KEY, Scope.CLIENT, "usr_1", 10_000)
            .withKey(EDGE_KEY, Scope.EDGE, null, 10_000)
            .withKey(ANALYST_KEY, Scope.ANALYST, null, 10_000)
            .withKey(SLOW_KEY, Scope.CLIENT, "usr_slow", 1);

    /** End offsets of the four topics the gateway publishes to: no refused request may move them. */
    static final TopicOffsets offsets = gateway.offsets();
    /** Their total after the previous test (each test is checked, each total read once). */
    static Long afterPreviousTest;

    GatewayHttp http;

    @BeforeEach
    void client() {
        http = gateway.http();
        if (afterPreviousTest == null) {
            afterPreviousTest = offsets.total();
        }
    }

    @AfterEach
    void shouldHavePublishedNothing() {
        long after = offsets.total();
        assertThat(after).as("records published for refused requests").isEqualTo(afterPreviousTest);
        afterPreviousTest = after;
    }

    static Stream<Arguments> badRequests() {
        return BadRequests.all().stream().map(Arguments::of);
    }

    static Stream<Arguments> validBodies() {
        return BadRequests.VALID.entrySet().stream().map(e -> Arguments.of(e.getKey(), e.getValue()));
    }

    @Order(0)
    @ParameterizedTest(name = "{0}")
    @MethodSource("validBodies")
    void shouldAcceptTheValidBodyEveryBadCaseStartsFrom(String variant, String body) {
        // when
        GatewayHttp.Response response = http.post(BadRequests.path(variant), ADMIN_KEY, body);

        // then: so that each generated case is refused for the one thing it spoils
        assertThat(response.status()).as(response.toString()).isBetween(200, 202);
        afterPreviousTest = offsets.total(); // the only test that publishes
    }

    @Test
    void shouldHaveAtLeastThreeHundredDistinctBadRequests() {
        // then
        var cases = BadRequests.all();
        assertThat(cases.stream().map(c -> c.method() + " " + c.path() + " "
                + new String(c.body() == null ? new byte[0] : c.body(), StandardCharsets.ISO_8859_1)).distinct().count())
                .isEqualTo(cases.size()).isGreaterThanOrEqualTo(300);
        assertThat(cases.stream().map(BadRequests.BadRequest::name).distinct().count()).isEqualTo(cases.size());
    }

    @Order(1)
    @ParameterizedTest(name = "{0}")
    @MethodSource("badRequests")
    void shouldRejectBadRequestNamingTheFieldAndPublishNothing(BadRequests.BadRequest bad) {
        // when
        GatewayHttp.Response response = "GET".equals(bad.method()) ? http.get(bad.path(), keyFor(bad))
                : http.post(bad.path(), ADMIN_KEY, bad.contentType(), bad.body());

        // then
        assertThat(response.status()).as(response.toString()).isEqualTo(bad.status());
        assertThat(response.contentType()).startsWith(PROBLEM);
        assertThat(response.json().get("status").asInt()).isEqualTo(bad.status());
        assertThat(response.json().get("type").asString()).endsWith("/invalid-request");
        assertThat(response.json().get("instance").asString()).isEqualTo(bad.path().split("\\?")[0]);
        assertThat(response.errorFields()).as(response.toString()).containsAll(bad.fields());
        assertThat(response.raw().body()).doesNotContain("Exception", "at io.", "at org.");
    }

    private static String keyFor(BadRequests.BadRequest bad) {
        return bad.path().startsWith("/api/jetty/files/") ? ANALYST_KEY : ADMIN_KEY;
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
        gateway.saveKey(REVOKED_KEY, Scope.ADMIN, null, 100);
        gateway.keys().revoke("rejrevoked");
        // a dev key row left behind by a local run must not work outside the local profile
        gateway.saveKey("ac_local_jettyspeeddevkey0000000000", Scope.ADMIN, null, 100);
        String body = "{\"fileHash\":\"" + HASH + "\",\"userId\":\"usr_1\"}";

        // when
        GatewayHttp.Response none = http.post("/api/jetty/check-duplicate", null, body);
        GatewayHttp.Response wrongSecret = http.post("/api/jetty/check-duplicate",
                ADMIN_KEY.substring(0, ADMIN_KEY.length() - 1) + "2", body);
        GatewayHttp.Response malformed = http.post("/api/jetty/check-duplicate", "your_production_api_key", body);
        GatewayHttp.Response revoked = http.post("/api/jetty/check-duplicate", REVOKED_KEY, body);
        GatewayHttp.Response devKey = http.post("/api/jetty/check-duplicate", "ac_local_jettyspeeddevkey0000000000", body);

        // then
        assertProblems(401, response -> assertThat(response.header("WWW-Authenticate")).startsWith("Bearer"),
                none, wrongSecret, malformed, revoked, devKey);
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
        assertProblems(403, response -> assertThat(response.json().get("type").asString()).endsWith("/forbidden"),
                clientOnMetrics, edgeOnUploads, analystWrites);
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
        assertProblems(413, response -> assertThat(response.errorFields()).containsExactly("body"), declared, chunked);
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

    /** Each response is a problem document with {@code status}, and satisfies what the case adds. */
    private static void assertProblems(int status, Consumer<GatewayHttp.Response> also,
            GatewayHttp.Response... responses) {
        for (GatewayHttp.Response response : responses) {
            assertThat(response.status()).as(response.toString()).isEqualTo(status);
            assertThat(response.contentType()).as(response.toString()).startsWith(PROBLEM);
            also.accept(response);
        }
    }
}
