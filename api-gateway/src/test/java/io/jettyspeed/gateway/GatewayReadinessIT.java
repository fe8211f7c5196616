package io.jettyspeed.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.jettyspeed.kafka.InProcessKafka;
import io.jettyspeed.kafka.KafkaNode;
import io.jettyspeed.schemas.Topics;
import io.jettyspeed.testing.GatewayHttp;
import io.jettyspeed.testing.PostgresSchema;
import io.jettyspeed.testing.SharedKafka;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The gateway's probes on a broker of its own that the test stops and starts: readiness is DOWN
 * until the local copies have read their topics, and while the broker is unreachable; liveness stays
 * UP throughout (a broker outage is no reason to restart the gateway).
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = "spring.config.name=api-gateway")
@DirtiesContext(classMode = DirtiesContext.ClassMode.AFTER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class GatewayReadinessIT {

    @RegisterExtension
    static final PostgresSchema postgres = new PostgresSchema();

    static final InProcessKafka kafka = startBroker();
    static final Topics topics = Topics.of(SharedKafka.uniqueId("t") + ".", Topics.partitionsFromEnvironment(System.getenv()));

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        registry.add("spring.kafka.bootstrap-servers", kafka::bootstrapServers);
        registry.add("jetty.gateway.topic-prefix", topics::prefix);
        GatewayTestInfrastructure.database(registry, postgres);
    }

    @AfterAll
    static void stopBroker() {
        kafka.close();
    }

    @LocalServerPort
    int port;

    @Test
    @Order(1)
    void shouldNotBeReadyBeforeTheLocalCopiesHaveReadTheirTopics() {
        // given a broker without the aggregate topics yet: the copies wait for them
        GatewayHttp http = new GatewayHttp(port);

        // when
        GatewayHttp.Response before = http.get("/actuator/health/readiness", null);
        long created = System.nanoTime();
        SharedKafka.createTopics(kafka.bootstrapServers(), topics, Topics.Replication.SINGLE_NODE);

        // then: not ready (the copies are not), though the broker answers; ready once they have read them
        assertThat(before.status()).as(before.toString()).isEqualTo(503);
        assertThat(before.json().get("components").get("views").get("status").asString()).isEqualTo("OUT_OF_SERVICE");
        assertThat(before.json().get("components").get("kafka").get("status").asString()).isEqualTo("UP");
        assertThat(http.get("/actuator/health/liveness", null).status()).isEqualTo(200);
        await().atMost(Duration.ofSeconds(60)).until(() -> http.get("/actuator/health/readiness", null).status() == 200);
        System.out.printf("readiness: UP %d ms after the topics were created%n", (System.nanoTime() - created) / 1_000_000);
    }

    @Test
    @Order(2)
    void shouldBeUnreadyWhileTheBrokerIsDownAndLiveThroughout() {
        // given a ready gateway
        GatewayHttp http = new GatewayHttp(port);
        await().atMost(Duration.ofSeconds(60)).until(() -> http.get("/actuator/health/readiness", null).status() == 200);
        KafkaNode broker = kafka.nodes().get(0);
        List<Integer> liveness = new ArrayList<>();

        // when the broker stops
        long stopped = System.nanoTime();
        broker.stop();

        // then readiness goes DOWN within the health check's timeout and cache, liveness stays UP
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200)).until(() -> {
            liveness.add(http.get("/actuator/health/liveness", null).status());
            return http.get("/actuator/health/readiness", null).status() == 503;
        });
        long downAfter = (System.nanoTime() - stopped) / 1_000_000;
        GatewayHttp.Response down = http.get("/actuator/health/readiness", null);
        assertThat(down.json().get("components").get("kafka").get("status").asString()).isEqualTo("DOWN");

        // when it comes back
        long started = System.nanoTime();
        broker.start();

        // then ready again, still live
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200)).until(() -> {
            liveness.add(http.get("/actuator/health/liveness", null).status());
            return http.get("/actuator/health/readiness", null).status() == 200;
        });
        System.out.printf("readiness: DOWN %d ms after the broker stopped, UP again %d ms after it restarted%n", downAfter,
                (System.nanoTime() - started) / 1_000_000);
        assertThat(liveness).isNotEmpty().containsOnly(200);
    }

    private static InProcessKafka startBroker() {
        try {
            return InProcessKafka.builder(Files.createTempDirectory("gateway-readiness-kafka")).start();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
