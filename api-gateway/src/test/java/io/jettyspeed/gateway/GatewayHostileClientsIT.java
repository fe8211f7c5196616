package io.jettyspeed.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.jettyspeed.gateway.security.Scope;
import io.jettyspeed.testing.GatewayHttp;
import io.jettyspeed.testing.RawHttp;
import io.micrometer.core.instrument.MeterRegistry;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.annotation.DirtiesContext;

/**
 * Clients that do not play by the rules, over raw sockets where an HTTP client would not let us:
 * spellings of protected paths (401 before the body is read), requests Tomcat itself refuses
 * (problem documents, never HTML or a 5xx), three hundred bodies trickling in at a byte every two
 * seconds (normal requests still answered; the trickles get 408), one address holding too many
 * requests (429), and random mutations of valid bodies (never a 5xx).
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "spring.config.name=api-gateway", "jetty.gateway.body-timeout=10s", "jetty.gateway.max-requests-per-client=20",
        "jetty.gateway.dashboard.heartbeat=1s"})
@DirtiesContext(classMode = DirtiesContext.ClassMode.AFTER_CLASS)
class GatewayHostileClientsIT {

    static final String ADMIN_KEY = "ac_hostileadmin_hostileadminsecret00000000001";
    static final String HASH = BadRequests.HASH;
    static final String PROBLEM = "application/problem+json";
    static final String CHECK = "{\"fileHash\":\"" + HASH + "\",\"userId\":\"usr_1\"}";

    @RegisterExtension
    static final GatewayUnderTest gateway = new GatewayUnderTest().withKey(ADMIN_KEY, Scope.ADMIN, null, 100_000);

    GatewayHttp http;

    @BeforeEach
    void client() {
        http = gateway.http();
    }

    static Stream<Arguments> protectedPathSpellings() {
        return Stream.of("/%61pi/jetty/events", "/api;x=1/jetty/events", "//api/jetty/events", "/api/./jetty/events",
                "/api/jetty/../jetty/events", "/./api/jetty/events", "/api//jetty/events", "/api/jetty/%65vents",
                "/api/jetty/events;jsessionid=1", "/api/jetty/events/", "/dashboard/../api/jetty/events",
                "/dashboard/..;/api/jetty/events", "/dashboard/%2e%2e/api/jetty/events", "/API/jetty/events",
                "/%2561pi/jetty/events", "/actuator/../api/jetty/events", "/v3/api-docs/../../api/jetty/events",
                "/error", "/").map(Arguments::of);
    }

    @ParameterizedTest(name = "POST {0}")
    @MethodSource("protectedPathSpellings")
    void shouldAnswer401BeforeReadingTheBodyForEverySpellingOfAProtectedPath(String path) {
        try (RawHttp raw = RawHttp.connect(gateway.port())) {
            // when: the headers announce 100 kB, and no byte of the body is ever sent
            raw.send("POST " + path + " HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
                    + "Content-Length: 100000\r\n\r\n");
            RawHttp.Response response = raw.read(Duration.ofSeconds(5));

            // then: refused at once, as a problem, and the connection is closed rather than drained
            assertThat(response.status()).as(response.toString()).isEqualTo(401);
            assertThat(response.contentType()).startsWith(PROBLEM);
            assertThat(response.header("WWW-Authenticate")).startsWith("Bearer");
            assertThat(raw.closedWithin(Duration.ofSeconds(5))).isTrue();
        }
    }

    @Test
    void shouldRouteAndLimitAnOddSpellingWithAKeyLikeTheCanonicalPath() {
        // when: a spelling the framework routes reaches the handler with a key, and the body limit
        // applies to any spelling (those it does not route are 404 with a key, 401 without)
        RawHttp.Response routed = RawHttp.exchange(gateway.port(), "POST /api;x=1/jetty/check-duplicate HTTP/1.1\r\n"
                + "Host: localhost\r\nAuthorization: Bearer " + ADMIN_KEY + "\r\nContent-Type: application/json\r\n"
                + "Content-Length: " + CHECK.length() + "\r\nConnection: close\r\n\r\n" + CHECK);
        RawHttp.Response tooLarge;
        try (RawHttp raw = RawHttp.connect(gateway.port())) {
            raw.send("POST /%61pi/jetty/check-duplicate HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer "
                    + ADMIN_KEY + "\r\nContent-Type: application/json\r\nContent-Length: 2000000\r\n\r\n");
            tooLarge = raw.read(Duration.ofSeconds(5));
        }

        // then
        assertThat(routed.status()).as(routed.toString()).isEqualTo(200);
        assertThat(routed.json().get("isDuplicate").asBoolean()).isFalse();
        assertThat(tooLarge.status()).as(tooLarge.toString()).isEqualTo(413);
        assertThat(tooLarge.contentType()).startsWith(PROBLEM);
    }

    static Stream<Arguments> requestsTomcatRefuses() {
        String auth = "Authorization: Bearer " + ADMIN_KEY + "\r\n";
        String post = "POST /api/jetty/check-duplicate HTTP/1.1\r\nHost: localhost\r\n" + auth
                + "Content-Type: application/json\r\n";
        String getEdges = "GET /api/jetty/edges HTTP/1.1\r\nHost: localhost\r\n";
        return Stream.of(
                Arguments.of("Content-Length not a number", post + "Content-Length: abc\r\n\r\n"),
                Arguments.of("two different Content-Lengths", post + "Content-Length: 5\r\nContent-Length: 6\r\n\r\nhello!"),
                Arguments.of("negative Content-Length", post + "Content-Length: -5\r\n\r\n"),
                Arguments.of("Content-Length beyond long", post + "Content-Length: 99999999999999999999999\r\n\r\n"),
                Arguments.of("Content-Length and chunked together", post + "Content-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n"),
                Arguments.of("a 20 kB header", getEdges + auth + "X-Big: " + "a".repeat(20_000) + "\r\n\r\n"),
                Arguments.of("a request target of 10 kB", "GET /api/jetty/" + "a".repeat(10_000) + " HTTP/1.1\r\nHost: localhost\r\n\r\n"),
                Arguments.of("chunk size not hex", post + "Transfer-Encoding: chunked\r\n\r\nzz\r\nabc\r\n0\r\n\r\n"),
                Arguments.of("chunk size beyond long", post + "Transfer-Encoding: chunked\r\n\r\nffffffffffffffffffff\r\nabc\r\n0\r\n\r\n"),
                Arguments.of("chunk without its CRLF", post + "Transfer-Encoding: chunked\r\n\r\n3\r\nabcXY0\r\n\r\n"),
                Arguments.of("unknown transfer coding", post + "Transfer-Encoding: gzip\r\n\r\n"),
                Arguments.of("%00 in the path", "GET /api/jetty/sessions/a%00b HTTP/1.1\r\nHost: localhost\r\n" + auth + "\r\n"),
                Arguments.of("%00 in the path without a key", "POST /api/jetty/events%00 HTTP/1.1\r\nHost: localhost\r\nContent-Length: 10\r\n\r\n"),
                Arguments.of("encoded slash in the path", "GET /api%2Fjetty/edges HTTP/1.1\r\nHost: localhost\r\n\r\n"),
                Arguments.of("a path above the root", "GET /api/../../etc/passwd HTTP/1.1\r\nHost: localhost\r\n\r\n"),
                Arguments.of("invalid character in the path", "GET /api/jetty/edges<script> HTTP/1.1\r\nHost: localhost\r\n\r\n"),
                Arguments.of("raw control byte in the path", "GET /api/jetty/\u0001 HTTP/1.1\r\nHost: localhost\r\n\r\n"),
                Arguments.of("Host with a space", "GET /api/jetty/edges HTTP/1.1\r\nHost: a b\r\n" + auth + "\r\n"),
                Arguments.of("Host with a bad port", "GET /api/jetty/edges HTTP/1.1\r\nHost: localhost:99999x\r\n" + auth + "\r\n"),
                Arguments.of("two Hosts", "GET /api/jetty/edges HTTP/1.1\r\nHost: a\r\nHost: b\r\n" + auth + "\r\n"),
                Arguments.of("HTTP/1.1 without Host", "GET /api/jetty/edges HTTP/1.1\r\n" + auth + "\r\n"),
                Arguments.of("a garbage request line", "GARBAGE\r\n\r\n"),
                Arguments.of("invalid method characters", "P(ST /api/jetty/edges HTTP/1.1\r\nHost: localhost\r\n\r\n"),
                Arguments.of("HTTP/9.9", "GET /api/jetty/edges HTTP/9.9\r\nHost: localhost\r\n\r\n"),
                Arguments.of("header without a colon", getEdges + "NoColonHere\r\n\r\n"),
                Arguments.of("header name with a space", getEdges + "Bad Name: x\r\n\r\n"),
                Arguments.of("NUL in a header value", getEdges + "X-A: a\u0000b\r\n\r\n"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("requestsTomcatRefuses")
    void shouldAnswerRequestsTomcatRefusesWithAProblemAndNoServerError(String description, String request) {
        // when
        RawHttp.Response response = RawHttp.exchange(gateway.port(), request);

        // then
        assertThat(response.status()).as(response.toString()).isBetween(400, 499);
        assertThat(response.contentType()).as(response.toString()).startsWith(PROBLEM);
        assertThat(response.json().get("status").asInt()).isEqualTo(response.status());
        assertThat(response.json().get("title").asString()).isNotBlank();
        assertThat(response.json().has("errors")).isTrue();
        assertThat(response.body()).doesNotContain("Tomcat", "<html", "Exception");
    }

    static Stream<Arguments> oddHeaders() {
        return Stream.of("Accept: text/html", "Accept: application/xml", "Accept: */*;q=0", "Accept: garbage/",
                "Accept-Charset: bogus", "Content-Type: application/json; charset=bogus", "Content-Type: ;;;",
                "Content-Type: application/json\r\nContent-Type: text/plain", "Content-Encoding: gzip",
                "Expect: something-else", "Transfer-Encoding: identity", "Authorization: Bearer",
                "Authorization: Bearer ac_x_\u00ff\u00fe", "Authorization: Basic dXNlcjpwYXNz",
                "X-Forwarded-For: 10.0.0.1, garbage").map(Arguments::of);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("oddHeaders")
    void shouldAnswerOddHeadersWithoutAServerError(String header) {
        // given
        String auth = header.startsWith("Authorization") ? "" : "Authorization: Bearer " + ADMIN_KEY + "\r\n";
        String contentType = header.startsWith("Content-Type") ? "" : "Content-Type: application/json\r\n";

        // when
        RawHttp.Response response = RawHttp.exchange(gateway.port(), "POST /api/jetty/check-duplicate HTTP/1.1\r\nHost: localhost\r\n"
                + auth + contentType + header + "\r\nContent-Length: " + CHECK.length() + "\r\nConnection: close\r\n\r\n"
                + CHECK);

        // then
        assertThat(response.status()).as(response.toString()).isLessThan(500);
        if (response.status() >= 400) {
            assertThat(response.contentType()).as(response.toString()).startsWith(PROBLEM);
        }
    }

    @Test
    void shouldKeepAnsweringOthersWhileThreeHundredClientsTrickleTheirBodies() throws Exception {
        // given: 300 connections from 15 addresses (20 each, the per-client limit), each announcing a
        // 1,000-byte body and sending one byte of it every 2 seconds
        List<RawHttp> trickles = new ArrayList<>();
        List<String> addresses = new ArrayList<>();
        for (int client = 0; client < 15; client++) {
            for (int i = 0; i < 20; i++) {
                String address = "127.0.0." + (10 + client);
                RawHttp raw = RawHttp.connect(address, gateway.port());
                raw.send("POST /api/jetty/check-duplicate HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer "
                        + ADMIN_KEY + "\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{");
                trickles.add(raw);
                addresses.add(address);
            }
        }
        ScheduledExecutorService trickler = Executors.newSingleThreadScheduledExecutor();
        byte[] oneByte = " ".getBytes(StandardCharsets.US_ASCII);
        trickler.scheduleAtFixedRate(() -> trickles.forEach(raw -> raw.trySend(oneByte)), 2, 2, TimeUnit.SECONDS);
        long trickleStarted = System.nanoTime();
        try {
            await().atMost(Duration.ofSeconds(10)).until(() -> gauge("jetty.gateway.clients.tracked") >= 15);

            // when: another client sends ordinary requests while the bodies trickle
            List<Long> micros = new ArrayList<>();
            RawHttp.Response overLimit;
            while (System.nanoTime() - trickleStarted < Duration.ofSeconds(8).toNanos()) {
                long start = System.nanoTime();
                GatewayHttp.Response response = http.post("/api/jetty/check-duplicate", ADMIN_KEY, CHECK);
                micros.add((System.nanoTime() - start) / 1_000);
                assertThat(response.status()).as(response.toString()).isEqualTo(200);
            }
            // and one of the trickling addresses asks for a 21st request
            try (RawHttp extra = RawHttp.connect(addresses.get(0), gateway.port())) {
                extra.send("POST /api/jetty/check-duplicate HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer "
                        + ADMIN_KEY + "\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n");
                overLimit = extra.read(Duration.ofSeconds(5));
            }

            // then: the others were served throughout (measured, not asserted as a time)
            long[] sorted = micros.stream().mapToLong(Long::longValue).sorted().toArray();
            System.out.printf("slow clients: %d trickling connections from %d addresses; %d requests from another client: "
                    + "p50 %.1f ms, p95 %.1f ms, max %.1f ms%n", trickles.size(), 15, sorted.length,
                    sorted[sorted.length / 2] / 1000.0, sorted[(int) (sorted.length * 0.95)] / 1000.0,
                    sorted[sorted.length - 1] / 1000.0);
            assertThat(sorted.length).isGreaterThan(10);
            // and the greedy address was refused at once with Retry-After
            assertThat(overLimit.status()).as(overLimit.toString()).isEqualTo(429);
            assertThat(overLimit.contentType()).startsWith(PROBLEM);
            assertThat(overLimit.header("Retry-After")).isEqualTo("1");

            // then: every trickling body ran into the 10 s deadline: 408, problem, connection closed
            for (RawHttp raw : trickles) {
                RawHttp.Response timedOut = raw.read(Duration.ofSeconds(20));
                assertThat(timedOut.status()).as(timedOut.toString()).isEqualTo(408);
                assertThat(timedOut.contentType()).startsWith(PROBLEM);
                assertThat(raw.closedWithin(Duration.ofSeconds(5))).isTrue();
            }
            System.out.printf("slow clients: all %d trickling bodies answered 408 after %.1f s%n", trickles.size(),
                    (System.nanoTime() - trickleStarted) / 1e9);
            // and every slot was given back
            await().atMost(Duration.ofSeconds(10)).until(() -> gauge("jetty.gateway.clients.tracked") == 0);
            assertThat(RawHttp.exchange(gateway.port(), "POST /api/jetty/check-duplicate HTTP/1.1\r\nHost: localhost\r\n"
                    + "Authorization: Bearer " + ADMIN_KEY + "\r\nContent-Type: application/json\r\nContent-Length: "
                    + CHECK.length() + "\r\nConnection: close\r\n\r\n" + CHECK).status()).isEqualTo(200);
        } finally {
            trickler.shutdownNow();
            trickles.forEach(RawHttp::close);
        }
    }

    @Test
    void shouldReadABodyThatHasArrivedAtOnceAndAwaitOnlyOneStillOnItsWay() throws Exception {
        // given: an edge-metrics batch of 150 samples (12 KB: more than Tomcat buffers at a time, 8 KB)
        StringBuilder body = new StringBuilder("{\"samples\":[");
        for (int i = 0; i < 150; i++) {
            body.append(i == 0 ? "" : ",").append("{\"edgeId\":\"edge-sfo\",\"latencyMs\":12.5,\"bandwidthMbps\":940,")
                    .append("\"load\":0.25,\"errorRate\":0.01,\"eventId\":\"evt-arrived-").append(i).append("\"}");
        }
        body.append("]}");
        byte[] request = ("POST /api/jetty/edge-metrics HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer " + ADMIN_KEY
                + "\r\nContent-Type: application/json\r\nContent-Length: " + body.length() + "\r\n\r\n" + body)
                .getBytes(StandardCharsets.ISO_8859_1);
        double before = counter("jetty.gateway.request.bodies.awaited");

        // when: ten are sent, each in one write
        for (int i = 0; i < 10; i++) {
            RawHttp.Response response = RawHttp.exchange(gateway.port(), request);
            assertThat(response.status()).as(response.toString()).isEqualTo(202);
        }
        // then: every one was read on its request thread: none was awaited (an async cycle and a second dispatch)
        assertThat(counter("jetty.gateway.request.bodies.awaited")).isEqualTo(before);

        // when: one is sent in two parts, the second half a moment later
        int split = request.length - body.length() / 2;
        try (RawHttp raw = RawHttp.connect(gateway.port())) {
            raw.send(Arrays.copyOfRange(request, 0, split));
            Thread.sleep(300); // pacing: the client's pause between its two writes
            raw.send(Arrays.copyOfRange(request, split, request.length));
            RawHttp.Response response = raw.read(Duration.ofSeconds(10));
            // then: it was awaited without a thread and answered like the others
            assertThat(response.status()).as(response.toString()).isEqualTo(202);
        }
        assertThat(counter("jetty.gateway.request.bodies.awaited")).isEqualTo(before + 1);
    }

    @Test
    void shouldCapTheLiveEdgeStreamsOneKeyHolds() throws Exception {
        // given: a key opening the dashboard stream again and again without closing any
        java.net.http.HttpClient client = java.net.http.HttpClient.newHttpClient();
        java.net.http.HttpRequest request = java.net.http.HttpRequest.newBuilder(
                java.net.URI.create("http://localhost:" + gateway.port() + "/api/jetty/edges/stream"))
                .header("Authorization", "Bearer " + ADMIN_KEY).GET().build();
        List<java.net.http.HttpResponse<java.io.InputStream>> open = new ArrayList<>();
        try {
            for (int i = 0; i < 10; i++) {
                open.add(client.send(request, java.net.http.HttpResponse.BodyHandlers.ofInputStream()));
            }

            // when
            GatewayHttp.Response eleventh = http.get("/api/jetty/edges/stream", ADMIN_KEY);

            // then: the first ten are streams, the eleventh is refused; the gauge counts them
            assertThat(open).allSatisfy(r -> assertThat(r.statusCode()).isEqualTo(200));
            assertThat(eleventh.status()).as(eleventh.toString()).isEqualTo(429);
            assertThat(eleventh.contentType()).startsWith(PROBLEM);
            assertThat(eleventh.header("Retry-After")).isNotNull();
            assertThat(gauge("jetty.gateway.dashboard.streams")).isEqualTo(10);
        } finally {
            for (var response : open) {
                response.body().close();
            }
        }
        // and closed streams give their slots back
        await().atMost(Duration.ofSeconds(20)).until(() -> gauge("jetty.gateway.dashboard.streams") == 0);
    }

    @Test
    void shouldNeverAnswer5xxToRandomMutationsOfValidBodies() {
        // given: a fixed seed, printed, so that a failure can be replayed
        long seed = Long.getLong("fuzz.seed", 20261130L);
        Random random = new Random(seed);
        List<String> variants = new ArrayList<>(BadRequests.VALID.keySet());
        List<String> contentTypes = Arrays.asList("application/json", "application/json; charset=ISO-8859-1",
                "application/json; charset=bogus", "application/x-www-form-urlencoded", "text/plain", null,
                "application/problem+json", "application/json;;;");
        int[] statuses = new int[6];

        // when
        for (int i = 0; i < 400; i++) {
            String variant = variants.get(random.nextInt(variants.size()));
            byte[] body = Mutations.mutate(BadRequests.VALID.get(variant).getBytes(StandardCharsets.UTF_8), random);
            String contentType = random.nextInt(8) == 0 ? contentTypes.get(random.nextInt(contentTypes.size()))
                    : "application/json";
            GatewayHttp.Response response = http.post(BadRequests.path(variant), ADMIN_KEY, contentType, body);

            // then
            String what = "seed " + seed + " #" + i + " " + variant + " " + contentType + " "
                    + new String(body, StandardCharsets.ISO_8859_1);
            assertThat(response.status()).as(what + " -> " + response).isLessThan(500);
            if (response.status() >= 400) {
                assertThat(response.contentType()).as(what).startsWith(PROBLEM);
                assertThat(response.json().get("status").asInt()).as(what).isEqualTo(response.status());
            }
            statuses[response.status() / 100]++;
        }
        System.out.printf("fuzz (seed %d): 400 mutated bodies: %d 2xx, %d 4xx, 0 5xx%n", seed, statuses[2], statuses[4]);
    }

    @Test
    void shouldNeverAnswer5xxToRandomMutationsOfARequestHead() {
        // given
        long seed = Long.getLong("fuzz.seed", 20261130L);
        Random random = new Random(seed);
        String head = "GET /api/jetty/edges?x=1 HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer " + ADMIN_KEY
                + "\r\nX-Fuzz: value\r\nAccept: application/json\r\nConnection: close";
        int answered = 0;

        // when: the request line and headers mutated; the blank line that ends the head kept
        for (int i = 0; i < 120; i++) {
            byte[] mutated = Mutations.mutate(head.getBytes(StandardCharsets.ISO_8859_1), random);
            byte[] request = new byte[mutated.length + 4];
            System.arraycopy(mutated, 0, request, 0, mutated.length);
            System.arraycopy("\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1), 0, request, mutated.length, 4);
            try (RawHttp raw = RawHttp.connect(gateway.port())) {
                raw.send(request);
                RawHttp.Response response;
                try {
                    response = raw.read(Duration.ofSeconds(5));
                } catch (RuntimeException closedOrSilent) {
                    continue; // no answer at all (the connection was closed) is not a 5xx either
                }
                answered++;

                // then
                String what = "seed " + seed + " #" + i + " " + new String(request, StandardCharsets.ISO_8859_1);
                assertThat(response.status()).as(what + " -> " + response).isLessThan(500);
                if (response.status() >= 400) {
                    assertThat(response.contentType()).as(what + " -> " + response).startsWith(PROBLEM);
                }
            }
        }
        System.out.printf("fuzz (seed %d): 120 mutated request heads, %d answered, no 5xx%n", seed, answered);
    }

    private double counter(String name) {
        var counter = gateway.bean(MeterRegistry.class).find(name).counter();
        return counter == null ? -1 : counter.count();
    }

    private double gauge(String name) {
        var gauge = gateway.bean(MeterRegistry.class).find(name).gauge();
        return gauge == null ? -1 : gauge.value();
    }
}
