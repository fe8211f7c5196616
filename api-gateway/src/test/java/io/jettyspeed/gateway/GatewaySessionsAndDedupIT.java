package io.jettyspeed.gateway;

import static io.jettyspeed.gateway.AggregateRecords.session;
import static io.jettyspeed.gateway.AggregateRecords.storedFile;
import static io.jettyspeed.gateway.AggregateRecords.write;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.jettyspeed.gateway.security.Scope;
import io.jettyspeed.schemas.DedupCheck;
import io.jettyspeed.schemas.UploadSessionStatus;
import io.jettyspeed.testing.GatewayHttp;
import io.jettyspeed.testing.TopicOffsets;
import io.jettyspeed.testing.TopicReader;
import io.micrometer.core.instrument.MeterRegistry;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.annotation.DirtiesContext;
import tools.jackson.databind.JsonNode;

/**
 * Upload sessions nobody can squat, dedup answers that do not betray other users, and local state
 * that shrinks again, against the real gateway with the dedup index and the sessions written to
 * their compacted topics as the processors would (global dedup scope, the default).
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = "spring.config.name=api-gateway")
@DirtiesContext(classMode = DirtiesContext.ClassMode.AFTER_CLASS)
class GatewaySessionsAndDedupIT {

    static final String ALICE = "ac_sdalice_sessionsdedupalicesecret0000001";
    static final String BOB = "ac_sdbob_sessionsdedupbobsecret000000000001";
    static final String ADMIN = "ac_sdadmin_sessionsdedupadminsecret000001";
    static final String ANALYST = "ac_sdanalyst_sessionsdedupanalystsecret01";
    static final String H1 = "1".repeat(64);
    static final String H2 = "2".repeat(64);
    static final String H3 = "3".repeat(64);

    @RegisterExtension
    static final GatewayUnderTest gateway = new GatewayUnderTest()
            .withKey(ALICE, Scope.CLIENT, "usr_alice", 10_000)
            .withKey(BOB, Scope.CLIENT, "usr_bob", 10_000)
            .withKey(ADMIN, Scope.ADMIN, null, 10_000)
            .withKey(ANALYST, Scope.ANALYST, null, 10_000);
    static final TopicOffsets offsets = gateway.offsets();

    GatewayHttp http;

    @BeforeEach
    void client() {
        http = gateway.http();
    }

    @Test
    void shouldRefuseAStartThatChoosesItsSessionId() {
        // given
        long before = offsets.total();

        // when: a client tries to take a session id it chose (perhaps one it expects another user to use)
        GatewayHttp.Response single = http.post("/api/jetty/track-upload", BOB, """
                {"action":"start","sessionId":"sess_alices_next","fileName":"a.bin","fileSize":10}""");
        GatewayHttp.Response batch = http.post("/api/jetty/events", BOB, """
                {"events":[{"type":"upload","action":"start","sessionId":"sess_x","fileName":"a.bin","fileSize":10}]}""");

        // then
        assertThat(single.status()).as(single.toString()).isEqualTo(400);
        assertThat(single.errorFields()).containsExactly("sessionId");
        assertThat(batch.status()).isEqualTo(400);
        assertThat(batch.errorFields()).containsExactly("events[0].sessionId");
        assertThat(offsets.total()).isEqualTo(before);
    }

    @Test
    void shouldAssignUnguessableSessionIdsAndTheSameOneToARetriedStart() {
        // given
        String start = """
                {"action":"start","fileName":"a.bin","fileSize":10%s}""";

        // when
        String random1 = sessionIdOf(http.post("/api/jetty/track-upload", ALICE, start.formatted("")));
        String random2 = sessionIdOf(http.post("/api/jetty/track-upload", ALICE, start.formatted("")));
        String first = sessionIdOf(http.post("/api/jetty/track-upload", ALICE, start.formatted(",\"eventId\":\"retry-1\"")));
        String retry = sessionIdOf(http.post("/api/jetty/track-upload", ALICE, start.formatted(",\"eventId\":\"retry-1\"")));
        String bobsSameEventId = sessionIdOf(http.post("/api/jetty/track-upload", BOB,
                start.formatted(",\"eventId\":\"retry-1\"")));

        // then: 128 bits each, random without an eventId, stable for a retry, per user
        assertThat(random1).matches("sess_[0-9a-f]{32}").isNotEqualTo(random2);
        assertThat(first).matches("sess_[0-9a-f]{32}").isEqualTo(retry);
        assertThat(bobsSameEventId).isNotEqualTo(first);
        // and not computable from public data (the former scheme was a name-based UUID of user and eventId)
        assertThat(first).isNotEqualTo("sess_" + UUID.nameUUIDFromBytes("usr_alice\nretry-1".getBytes(StandardCharsets.UTF_8)))
                .isNotEqualTo("sess_" + UUID.nameUUIDFromBytes("usr_alice\nretry-1".getBytes(StandardCharsets.UTF_8))
                        .toString().replace("-", ""));
    }

    @Test
    void shouldNotLetAnotherUserReportOnAKnownSession() {
        // given: alice's session, as the processors publish it
        write(gateway.topics().uploadSessions(), "sess_alice_known", session("sess_alice_known", "usr_alice", null,
                UploadSessionStatus.UPLOADING, Instant.now()));
        await().atMost(Duration.ofSeconds(30)).until(() ->
                http.get("/api/jetty/sessions/sess_alice_known", ANALYST).status() == 200);
        long before = offsets.total();

        // when
        GatewayHttp.Response bobsChunk = http.post("/api/jetty/cache-chunk", BOB, """
                {"sessionId":"sess_alice_known","chunkIndex":0,"status":"completed"}""");
        GatewayHttp.Response bobsFail = http.post("/api/jetty/track-upload", BOB, """
                {"action":"fail","sessionId":"sess_alice_known","error":"squatted"}""");
        GatewayHttp.Response bobsRead = http.get("/api/jetty/sessions/sess_alice_known", BOB);
        GatewayHttp.Response adminForBob = http.post("/api/jetty/cache-chunk", ADMIN, """
                {"sessionId":"sess_alice_known","chunkIndex":0,"status":"completed","userId":"usr_bob"}""");
        long afterRefusals = offsets.total();
        GatewayHttp.Response alicesChunk = http.post("/api/jetty/cache-chunk", ALICE, """
                {"sessionId":"sess_alice_known","chunkIndex":0,"status":"completed"}""");

        // then
        assertThat(bobsChunk.status()).as(bobsChunk.toString()).isEqualTo(403);
        assertThat(bobsChunk.errorFields()).containsExactly("sessionId");
        assertThat(bobsFail.status()).isEqualTo(403);
        assertThat(bobsRead.status()).isEqualTo(403);
        assertThat(adminForBob.status()).as(adminForBob.toString()).isEqualTo(400);
        assertThat(adminForBob.errorFields()).containsExactly("sessionId");
        assertThat(afterRefusals).isEqualTo(before);
        assertThat(alicesChunk.status()).as(alicesChunk.toString()).isEqualTo(200);
    }

    @Test
    void shouldNeverTellAClientWhoOwnsContentItDidNotUpload() {
        // given: alice stored H1
        write(gateway.topics().fileIndex(), H1, storedFile(H1, "usr_alice"));
        await().atMost(Duration.ofSeconds(30)).until(() -> http.post("/api/jetty/check-duplicate", ADMIN,
                "{\"fileHash\":\"" + H1 + "\",\"userId\":\"usr_probe\",\"eventId\":\"probe-h1\"}").json()
                .get("isDuplicate").asBoolean());

        // when: bob asks, in every way a client can
        GatewayHttp.Response check = http.post("/api/jetty/check-duplicate", BOB, """
                {"fileHash":"%s","eventId":"bob-check-h1"}""".formatted(H1));
        long beforeEdges = offsets.total();
        GatewayHttp.Response edges = http.post("/api/jetty/optimal-edges", BOB, """
                {"fileHash":"%s","fileSize":4194304,"userLocation":{"lat":48.85,"lng":2.35}}""".formatted(H1));
        long afterEdges = offsets.total();
        GatewayHttp.Response batch = http.post("/api/jetty/events", BOB, """
                {"events":[{"type":"dedup-check","fileHash":"%s","eventId":"bob-batch-h1"}]}""".formatted(H1));
        GatewayHttp.Response file = http.get("/api/jetty/files/" + H1, BOB);
        // and alice, an admin and an analyst ask
        GatewayHttp.Response owner = http.post("/api/jetty/check-duplicate", ALICE, "{\"fileHash\":\"" + H1 + "\"}");
        GatewayHttp.Response admin = http.post("/api/jetty/check-duplicate", ADMIN,
                "{\"fileHash\":\"" + H1 + "\",\"userId\":\"usr_carol\"}");
        GatewayHttp.Response analyst = http.get("/api/jetty/files/sha256:" + H1, ANALYST);

        // then: bob learns that the content exists, its size and where to clone it from; never whose it is
        assertThat(check.status()).as(check.toString()).isEqualTo(200);
        JsonNode existing = check.json().get("existingFile");
        assertThat(check.json().get("isDuplicate").asBoolean()).isTrue();
        assertThat(existing.propertyNames()).containsExactlyInAnyOrder("fileHash", "fileSize", "location");
        for (GatewayHttp.Response response : new GatewayHttp.Response[] {check, edges, batch}) {
            assertThat(response.raw().body()).as(response.toString()).doesNotContain("usr_alice", "secret-plans");
        }
        assertThat(edges.json().get("dedup").get("existingFile").has("ownerUserId")).isFalse();
        assertThat(batch.json().get("events").get(0).get("isDuplicate").asBoolean()).isTrue();
        assertThat(file.status()).isEqualTo(403);
        // and the owner, admins and analysts see the owner
        assertThat(owner.json().get("existingFile").get("ownerUserId").asString()).isEqualTo("usr_alice");
        assertThat(admin.json().get("existingFile").get("ownerUserId").asString()).isEqualTo("usr_alice");
        assertThat(analyst.status()).as(analyst.toString()).isEqualTo(200);
        assertThat(analyst.json().get("ownerUserId").asString()).isEqualTo("usr_alice");
        // and each hit, and only a hit, recorded its instant clone; optimal-edges recorded nothing
        assertThat(check.json().get("instantClone").asBoolean()).isTrue();
        assertThat(TopicReader.readValues(gateway.topics().dedupChecks())).extracting(DedupCheck::getEventId)
                .contains("bob-check-h1", "bob-batch-h1");
        assertThat(afterEdges).isEqualTo(beforeEdges);
    }

    @Test
    void shouldPublishNothingForADedupMiss() {
        // given
        long before = offsets.total();

        // when
        GatewayHttp.Response miss = http.post("/api/jetty/check-duplicate", BOB, """
                {"fileHash":"%s","eventId":"bob-miss"}""".formatted(H2));
        GatewayHttp.Response batchMiss = http.post("/api/jetty/events", BOB, """
                {"events":[{"type":"dedup-check","fileHash":"%s","eventId":"bob-batch-miss"}]}""".formatted(H2));

        // then
        assertThat(miss.status()).as(miss.toString()).isEqualTo(200);
        assertThat(miss.json().get("isDuplicate").asBoolean()).isFalse();
        assertThat(miss.json().get("instantClone").asBoolean()).isFalse();
        assertThat(miss.json().has("eventId")).isFalse();
        assertThat(batchMiss.status()).isEqualTo(202);
        assertThat(batchMiss.json().get("published").asInt()).isZero();
        assertThat(offsets.total()).isEqualTo(before);
    }

    @Test
    void shouldForgetATombstonedSessionIncludingItsResumeEntry() {
        // given: two sessions of alice for H3, one finished, one still open
        double indexBefore = gauge("jetty.gateway.view.index.entries");
        Instant now = Instant.now();
        write(gateway.topics().uploadSessions(), "sess_h3_done", session("sess_h3_done", "usr_alice", H3,
                UploadSessionStatus.COMPLETED, now.minusSeconds(60)));
        write(gateway.topics().uploadSessions(), "sess_h3_open", session("sess_h3_open", "usr_alice", H3,
                UploadSessionStatus.UPLOADING, now));
        String resume = "/api/jetty/sessions?fileHash=" + H3;
        await().atMost(Duration.ofSeconds(30)).until(() -> "sess_h3_open".equals(
                http.get(resume, ALICE).json().path("sessionId").asString(null)));
        double sessionsWithBoth = gauge("jetty.gateway.view.entries", gateway.topics().uploadSessions().name());
        assertThat(gauge("jetty.gateway.view.index.entries")).isEqualTo(indexBefore + 1);

        // when: the processors tombstone the open one after its retention
        write(gateway.topics().uploadSessions(), "sess_h3_open", null);

        // then: it is gone, and the resume index falls back to the other
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            assertThat(http.get("/api/jetty/sessions/sess_h3_open", ALICE).status()).isEqualTo(404);
            assertThat(http.get(resume, ALICE).json().path("sessionId").asString(null)).isEqualTo("sess_h3_done");
        });

        // when: the other is tombstoned too
        write(gateway.topics().uploadSessions(), "sess_h3_done", null);

        // then: the resume entry itself is gone, and both copies shrank
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            assertThat(http.get(resume, ALICE).status()).isEqualTo(404);
            assertThat(gauge("jetty.gateway.view.index.entries")).isEqualTo(indexBefore);
            assertThat(gauge("jetty.gateway.view.entries", gateway.topics().uploadSessions().name()))
                    .isEqualTo(sessionsWithBoth - 2);
        });
    }

    @Test
    void shouldExposeTheSizesOfTheGatewaysStateAsMetrics() {
        // when
        GatewayHttp.Response prometheus = http.get("/actuator/prometheus", null);

        // then
        assertThat(prometheus.status()).isEqualTo(200);
        assertThat(prometheus.raw().body()).contains(
                "jetty_gateway_view_entries{topic=\"" + gateway.topics().fileIndex().name() + "\"}",
                "jetty_gateway_view_entries{topic=\"" + gateway.topics().uploadSessions().name() + "\"}",
                "jetty_gateway_view_entries{topic=\"" + gateway.topics().edgeHealth().name() + "\"}",
                "jetty_gateway_view_entries{topic=\"" + gateway.topics().userStats().name() + "\"}",
                "jetty_gateway_view_index_entries{", "jetty_gateway_clients_tracked ",
                "jetty_gateway_rate_limiter_buckets ", "jetty_gateway_keys_cached ", "jetty_gateway_dashboard_streams ");
    }

    private static String sessionIdOf(GatewayHttp.Response response) {
        assertThat(response.status()).as(response.toString()).isEqualTo(200);
        return response.json().get("sessionId").asString();
    }

    private double gauge(String name) {
        return gateway.bean(MeterRegistry.class).get(name).gauge().value();
    }

    private double gauge(String name, String topic) {
        return gateway.bean(MeterRegistry.class).get(name).tag("topic", topic).gauge().value();
    }
}
