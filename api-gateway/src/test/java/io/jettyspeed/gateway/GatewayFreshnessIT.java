package io.jettyspeed.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.jettyspeed.gateway.security.Scope;
import io.jettyspeed.gateway.state.Freshness;
import io.jettyspeed.gateway.state.ViewKind;
import io.jettyspeed.processors.StreamProcessorsApplication;
import io.jettyspeed.schemas.Topics;
import io.jettyspeed.testing.GatewayHttp;
import io.jettyspeed.testing.SharedKafka;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LongSummaryStatistics;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
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
 * Read-your-writes dedup answers with the real stream processors (in-process, on the shared broker):
 * a check right after a completion was acknowledged is a hit or {@code pending}, never an
 * {@code indexed} miss; with {@code Prefer: wait} it is the hit. Then the processors stop (the stall
 * of issue 10): answers stay {@code pending}, {@code asOf} stands still, a new session is a 404 that
 * says it may not be processed yet; after a restart the hit comes. Prints how far the watermark
 * trails real time, idle and under load.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class GatewayFreshnessIT {

    static final String ALICE = "ac_freshalice_freshnessalicesecret0000001";
    static final String BOB = "ac_freshbob_freshnessbobsecret00000000001";
    static final String ADMIN = "ac_freshadmin_freshnessadminsecret000001";
    static final Map<String, String> WAIT = Map.of("Prefer", "wait=5");

    @RegisterExtension
    static final GatewayUnderTest gateway = new GatewayUnderTest()
            .withKey(ALICE, Scope.CLIENT, "usr_alice", 10_000)
            .withKey(BOB, Scope.CLIENT, "usr_bob", 10_000)
            .withKey(ADMIN, Scope.ADMIN, null, 10_000);

    static final Topics topics = gateway.topics();
    static final String applicationId = SharedKafka.uniqueId("fresh");

    static Path stateDir;
    static ConfigurableApplicationContext processors;
    static GatewayHttp http;
    static int uploads;

    @BeforeAll
    static void start() throws Exception {
        stateDir = Files.createTempDirectory("freshness-streams");
        gateway.run(applicationId);
        http = gateway.http();
        processors = startProcessors();
    }

    @AfterAll
    static void stop() {
        // before the gateway, which the fixture closes after this
        if (processors != null) {
            processors.close();
        }
    }

    @Test
    @Order(1)
    void shouldAnswerAHitOrPendingRightAfterACompletionAndTheHitWhenAskedToWait() {
        // given the processors run: a first upload has gone all the way to the index
        long started = System.nanoTime();
        String first = hash(900);
        String firstSession = startUpload(ALICE, first);
        chunk(ALICE, firstSession);
        complete(ALICE, firstSession, first);
        await().atMost(Duration.ofSeconds(120)).until(() -> check(BOB, first, WAIT).get("isDuplicate").asBoolean());
        System.out.printf("freshness: processors up, a first upload indexed after %d ms%n", millis(started));

        for (int round = 0; round < 3; round++) {
            // when alice completes an upload and bob asks for the same content in the same millisecond
            String hash = hash(round);
            String session = startUpload(ALICE, hash);
            chunk(ALICE, session);
            complete(ALICE, session, hash);
            long acked = System.nanoTime();
            JsonNode immediate = check(BOB, hash, Map.of());
            long immediateMs = millis(acked);
            JsonNode waited = check(BOB, hash, WAIT);
            long waitedMs = millis(acked);

            // then the first answer is a hit or pending, never a miss stated as fact; waiting gives the hit
            assertThat(immediate.get("isDuplicate").asBoolean() || "pending".equals(immediate.get("state").asString()))
                    .as("answer right after the completion: %s", immediate).isTrue();
            assertThat(immediate.get("asOf").isNull()).isFalse();
            assertThat(waited.get("isDuplicate").asBoolean()).as("answer with Prefer: wait=5: %s", waited).isTrue();
            assertThat(waited.get("state").asString()).isEqualTo("indexed");
            System.out.printf("freshness: round %d: right after the completion %s/%s in %d ms; with Prefer: wait=5 a hit "
                    + "%d ms after the completion%n", round, immediate.get("isDuplicate").asBoolean() ? "hit"
                    : "miss", immediate.get("state").asString(), immediateMs, waitedMs);
        }
    }

    @Test
    @Order(2)
    void shouldSayHowFreshSessionsAndStatsAreAndThatANewSessionMayNotBeProcessedYet() {
        // given
        String hash = hash(100);

        // when alice starts an upload and reads it back at once, then ready to wait
        long started = System.nanoTime();
        String session = startUpload(ALICE, hash);
        GatewayHttp.Response atOnce = http.get("/api/jetty/sessions/" + session, ALICE);
        Instant askedAt = Instant.now();
        GatewayHttp.Response waited = http.get("/api/jetty/sessions/" + session, ALICE, WAIT);
        GatewayHttp.Response resumed = http.get("/api/jetty/sessions?fileHash=" + hash, ALICE, WAIT);
        GatewayHttp.Response stats = http.get("/api/jetty/users/usr_alice/stats", ALICE, WAIT);

        // then: at once it may not be processed yet, and the 404 says so; waited for, it is there, with asOf
        if (atOnce.status() == 404) {
            assertNotProcessedYet(atOnce);
        } else {
            assertThat(atOnce.status()).as(atOnce.toString()).isEqualTo(200);
        }
        System.out.printf("freshness: a session read right after its start: %d; with Prefer: wait=5 200 after %d ms%n",
                atOnce.status(), millis(started));
        for (GatewayHttp.Response response : List.of(waited, resumed, stats)) {
            assertThat(response.status()).as(response.toString()).isEqualTo(200);
            assertThat(Instant.parse(response.json().get("asOf").asString())).isAfterOrEqualTo(askedAt);
        }
        assertThat(waited.json().get("sessionId").asString()).isEqualTo(session);
        assertThat(resumed.json().get("sessionId").asString()).isEqualTo(session);
    }

    @Test
    @Order(3)
    void shouldPrintHowFarTheWatermarkTrailsIdleAndUnderLoad() throws Exception {
        Freshness freshness = gateway.bean(Freshness.class);
        Thread.sleep(500);
        LongSummaryStatistics idle = sampleLag(freshness, Duration.ofSeconds(2), () -> false);
        System.out.printf("freshness: idle lag per view: sessions %d ms, file index %d ms, stats %d ms, edges %d ms%n",
                lagMs(freshness, ViewKind.UPLOAD_SESSIONS), lagMs(freshness, ViewKind.FILE_INDEX),
                lagMs(freshness, ViewKind.USER_STATS), lagMs(freshness, ViewKind.EDGE_HEALTH));

        AtomicBoolean loading = new AtomicBoolean(true);
        AtomicInteger sent = new AtomicInteger();
        ExecutorService load = Executors.newFixedThreadPool(4);
        List<Future<?>> clients = new ArrayList<>();
        for (int c = 0; c < 4; c++) {
            int client = c;
            clients.add(load.submit(() -> {
                for (int i = 0; loading.get(); i++) {
                    String hash = hash(10_000 + client * 100_000 + i);
                    String session = startUpload(ALICE, hash);
                    chunk(ALICE, session);
                    complete(ALICE, session, hash);
                    sent.addAndGet(3);
                }
            }));
        }
        long started = System.nanoTime();
        LongSummaryStatistics loaded = sampleLag(freshness, Duration.ofSeconds(4), () -> false);
        loading.set(false);
        for (Future<?> client : clients) {
            client.get();
        }
        load.shutdown();
        double rate = sent.get() * 1000.0 / millis(started);
        System.out.printf("freshness: W(file index) trails real time by avg %d ms, max %d ms idle; avg %d ms, max %d ms "
                + "under %.0f events/s%n", idle.getAverage() > 0 ? (long) idle.getAverage() : 0, idle.getMax(),
                (long) loaded.getAverage(), loaded.getMax(), rate);
        long drained = System.nanoTime();
        await().atMost(Duration.ofSeconds(60)).until(() -> lagMs(freshness, ViewKind.FILE_INDEX) < 1_000);
        System.out.printf("freshness: after the load the file index was within 1 s of real time again in %d ms%n",
                millis(drained));
        assertThat(idle.getCount()).isPositive();
    }

    @Test
    @Order(4)
    void shouldStayPendingWhileTheProcessorsAreStoppedAndFindTheHitAfterTheirRestart() throws Exception {
        // given the processors stop: the stall of issue 10
        processors.close();
        processors = null;

        // when alice completes another upload, acknowledged by the gateway as usual
        String hash = hash(200);
        String session = startUpload(ALICE, hash);
        Instant startAcknowledged = Instant.now();
        chunk(ALICE, session);
        complete(ALICE, session, hash);

        // then bob's checks over several seconds are never an indexed miss, and asOf stands still (once
        // the probes started before the stall's first event are through)
        TreeSet<String> asOfs = new TreeSet<>();
        long polling = System.nanoTime();
        while (millis(polling) < 5_000) {
            JsonNode answer = check(BOB, hash, Map.of());
            assertThat(answer.get("isDuplicate").asBoolean()).as(answer.toString()).isFalse();
            assertThat(answer.get("state").asString()).as(answer.toString()).isEqualTo("pending");
            if (millis(polling) > 1_000) {
                asOfs.add(answer.get("asOf").asString());
            }
            Thread.sleep(200);
        }
        JsonNode waited = check(BOB, hash, Map.of("Prefer", "wait=1"));
        assertThat(waited.get("state").asString()).isEqualTo("pending");
        assertThat(asOfs).as("asOf while stalled").hasSize(1);
        assertThat(Instant.parse(asOfs.first())).isBefore(startAcknowledged);
        // and the new session, and a user never seen, are 404s that say they may not be processed yet
        assertNotProcessedYet(http.get("/api/jetty/sessions/" + session, ALICE));
        assertNotProcessedYet(http.get("/api/jetty/users/usr_nobody/stats", ADMIN, Map.of("Prefer", "wait=1")));

        // when the processors start again
        long restarted = System.nanoTime();
        processors = startProcessors();

        // then the hit comes
        await().atMost(Duration.ofSeconds(120)).until(() -> check(BOB, hash, WAIT).get("isDuplicate").asBoolean());
        System.out.printf("freshness: stalled for 5 s at asOf %s; after the restart the hit came in %d ms%n",
                asOfs.first(), millis(restarted));
    }

    private static void assertNotProcessedYet(GatewayHttp.Response response) {
        assertThat(response.status()).as(response.toString()).isEqualTo(404);
        assertThat(response.contentType()).startsWith("application/problem+json");
        assertThat(response.json().get("state").asString()).isEqualTo("pending");
        assertThat(response.json().get("detail").asString()).contains("yet");
        assertThat(response.json().get("asOf").isNull()).isFalse();
        assertThat(response.header("Retry-After")).isEqualTo("1");
    }

    private static LongSummaryStatistics sampleLag(Freshness freshness, Duration duration,
            java.util.function.BooleanSupplier stop) throws InterruptedException {
        LongSummaryStatistics lag = new LongSummaryStatistics();
        long started = System.nanoTime();
        while (millis(started) < duration.toMillis() && !stop.getAsBoolean()) {
            lag.accept(lagMs(freshness, ViewKind.FILE_INDEX));
            Thread.sleep(20);
        }
        return lag;
    }

    private static long lagMs(Freshness freshness, ViewKind view) {
        return freshness.asOf(view).map(w -> Duration.between(w, freshness.now()).toMillis()).orElse(-1L);
    }

    private static JsonNode check(String key, String hash, Map<String, String> headers) {
        GatewayHttp.Response response = http.post("/api/jetty/check-duplicate", key,
                "{\"fileHash\":\"" + hash + "\"}", headers);
        assertThat(response.status()).as(response.toString()).isEqualTo(200);
        return response.json();
    }

    private static String startUpload(String key, String hash) {
        GatewayHttp.Response response = http.post("/api/jetty/track-upload", key, """
                {"action":"start","fileName":"f.bin","fileSize":1048576,"fileHash":"%s","chunkSize":1048576,
                 "totalChunks":1}""".formatted(hash));
        assertThat(response.status()).as(response.toString()).isEqualTo(200);
        return response.json().get("sessionId").asString();
    }

    private static void chunk(String key, String session) {
        GatewayHttp.Response response = http.post("/api/jetty/cache-chunk", key, """
                {"sessionId":"%s","chunkIndex":0,"status":"completed","edgeId":"edge-sfo","chunkSize":1048576,
                 "durationMs":100}""".formatted(session));
        assertThat(response.status()).as(response.toString()).isEqualTo(200);
    }

    private static void complete(String key, String session, String hash) {
        GatewayHttp.Response response = http.post("/api/jetty/track-upload", key, """
                {"action":"complete","sessionId":"%s","fileHash":"%s","bytesUploaded":1048576}""".formatted(session, hash));
        assertThat(response.status()).as(response.toString()).isEqualTo(200);
    }

    /** A distinct content hash per number, unique to this run. */
    private static String hash(int n) {
        return String.format("%08x%08x", topics.prefix().hashCode(), n) + "e".repeat(48);
    }

    private static long millis(long startedNanos) {
        return (System.nanoTime() - startedNanos) / 1_000_000;
    }

    private static ConfigurableApplicationContext startProcessors() {
        return StreamProcessorsApplication.builder().run(
                "--server.port=0",
                "--spring.kafka.bootstrap-servers=" + SharedKafka.bootstrapServers(),
                "--jetty.processors.bootstrap-servers=" + SharedKafka.bootstrapServers(),
                "--jetty.processors.application-id=" + applicationId,
                "--jetty.processors.topic-prefix=" + topics.prefix(),
                "--jetty.processors.state-dir=" + stateDir,
                // a restarted instance takes the partitions over once the stopped one's session expired
                "--jetty.processors.streams[session.timeout.ms]=6000",
                "--jetty.processors.streams[heartbeat.interval.ms]=1000",
                "--spring.autoconfigure.exclude=org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration,"
                        + "org.springframework.boot.flyway.autoconfigure.FlywayAutoConfiguration");
    }
}
