package io.jettyspeed.gateway;

import io.jettyspeed.testing.GatewayHttp;
import static org.assertj.core.api.Assertions.assertThat;

import io.jettyspeed.gateway.security.ApiKeyRepository;
import io.jettyspeed.gateway.security.Scope;
import io.jettyspeed.testing.PostgresSchema;
import java.io.IOException;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** With no broker listening: requests fail fast with 503 and Retry-After, and readiness is DOWN. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = "spring.config.name=api-gateway")
class GatewayKafkaDownIT {

    static final String ADMIN_KEY = "ac_downadmin_kafkadownadminsecret000000001";
    static final String HASH = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08";

    @RegisterExtension
    static final PostgresSchema postgres = new PostgresSchema();

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        registry.add("spring.kafka.bootstrap-servers", () -> "localhost:" + closedPort());
        GatewayTestInfrastructure.database(registry, postgres);
    }

    @LocalServerPort
    int port;

    @Autowired
    ApiKeyRepository keys;

    @Test
    void shouldAnswer503WithRetryAfterWithinSecondsWhenKafkaIsUnreachable() throws Exception {
        // given
        keys.save(ADMIN_KEY, Set.of(Scope.ADMIN), null, "", 100, true);
        GatewayHttp http = new GatewayHttp(port);

        // when
        long started = System.nanoTime();
        GatewayHttp.Response single = http.post("/api/jetty/track-upload", ADMIN_KEY,
                "{\"action\":\"start\",\"fileName\":\"a.bin\",\"fileSize\":10,\"fileHash\":\"" + HASH
                        + "\",\"userId\":\"usr_1\"}");
        // a read publishes nothing, so it needs no broker: without its copy of the index it says so
        GatewayHttp.Response read = http.post("/api/jetty/check-duplicate", ADMIN_KEY,
                "{\"fileHash\":\"" + HASH + "\",\"userId\":\"usr_1\"}");
        Duration singleTook = Duration.ofNanos(System.nanoTime() - started);
        GatewayHttp.Response batch = http.post("/api/jetty/events", ADMIN_KEY, """
                {"events":[{"type":"chunk","userId":"usr_1","sessionId":"s1","chunkIndex":0,"status":"pending"},
                           {"type":"edge-metric","edgeId":"edge-sfo","latencyMs":1,"bandwidthMbps":1,"load":0,"errorRate":0}]}""");

        // then
        assertThat(single.status()).as(single.toString()).isEqualTo(503);
        assertThat(single.contentType()).startsWith("application/problem+json");
        assertThat(single.header("Retry-After")).isEqualTo("5");
        assertThat(singleTook).isLessThan(Duration.ofSeconds(7));
        assertThat(batch.status()).isEqualTo(503);
        assertThat(batch.header("Retry-After")).isNotNull();
        assertThat(read.status()).as(read.toString()).isEqualTo(200);
        assertThat(read.json().get("state").asString()).isEqualTo("unknown");
    }

    @Test
    void shouldReportReadinessDownButLivenessUp() {
        // given
        GatewayHttp http = new GatewayHttp(port);

        // when
        GatewayHttp.Response readiness = http.get("/actuator/health/readiness", null);
        GatewayHttp.Response liveness = http.get("/actuator/health/liveness", null);

        // then
        assertThat(readiness.status()).as(readiness.toString()).isEqualTo(503);
        assertThat(readiness.json().get("status").asString()).isEqualTo("DOWN");
        assertThat(readiness.json().get("components").get("kafka").get("status").asString()).isEqualTo("DOWN");
        assertThat(liveness.status()).isEqualTo(200);
    }

    private static int closedPort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
