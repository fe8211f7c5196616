package io.jettyspeed.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.jettyspeed.gateway.security.ApiKeyRepository;
import io.jettyspeed.gateway.security.Scope;
import io.jettyspeed.schemas.EdgeHealth;
import io.jettyspeed.schemas.Topics;
import io.jettyspeed.testing.GatewayHttp;
import io.jettyspeed.testing.PostgresSchema;
import io.jettyspeed.testing.SharedKafka;
import io.jettyspeed.testing.SqlRows;
import io.jettyspeed.testing.TopicReader;
import io.jettyspeed.tools.Jettyspeed;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.context.ConfigurableApplicationContext;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The dead-letter round trip an operator does after a fix: a record is dead-lettered by a rule, a
 * replay while the rule still holds dead-letters it again (saying it was a replay), the rule is
 * changed, and a replay then counts the record exactly once — in the processors' aggregate and in
 * PostgreSQL — however often it is replayed.
 *
 * <p>The rule is the processors' clock-skew bound ({@code jetty.processors.max-clock-skew}): the
 * gateway accepts event times up to 5 minutes ahead; processors started with a 1-minute bound
 * dead-letter a probe sample dated 3 minutes ahead, processors with a 10-minute bound take it.
 */
class DeadLetterReplayIT {

    static final String EDGE_KEY = "ac_replayedge_replayedgesecret00000000001";
    static final String EVENT_ID = "replay-probe-1";
    static final JsonMapper JSON = JsonMapper.builder().build();

    @RegisterExtension
    static final PostgresSchema postgres = new PostgresSchema();

    static final Topics topics = SharedKafka.freshTopics();
    static final String applicationId = SharedKafka.uniqueId("replay");

    static ConfigurableApplicationContext gateway;
    static ConfigurableApplicationContext processors;
    static ConfigurableApplicationContext sink;

    @BeforeAll
    static void startPipeline() throws Exception {
        gateway = InProcessServices.gateway(topics, postgres);
        gateway.getBean(ApiKeyRepository.class).save(EDGE_KEY, Set.of(Scope.EDGE), null, "probes", 1_000, true);
        processors = startProcessors("1m");
        sink = InProcessServices.sink(topics, postgres, postgres.schema(), SharedKafka.uniqueId("replay-sink"));
    }

    @AfterAll
    static void stopPipeline() {
        InProcessServices.close(sink, processors, gateway);
    }

    @Test
    void shouldCountADeadLetteredRecordOnceAfterTheRuleChangedAndItWasReplayed() throws Exception {
        // given: a probe sample dated 3 minutes ahead, which the gateway accepts and these processors refuse
        String body = """
                {"samples":[{"edgeId":"edge-fra","latencyMs":42,"bandwidthMbps":400,"load":0.2,"errorRate":0,
                 "eventId":"%s","timestamp":"%s"}]}""".formatted(EVENT_ID, Instant.now().plus(Duration.ofMinutes(3)));
        GatewayHttp http = new GatewayHttp(InProcessServices.port(gateway));
        assertThat(http.post("/api/jetty/edge-metrics", EDGE_KEY, body).status()).isEqualTo(202);
        String source = topics.edgeMetrics().name();
        List<JsonNode> letters = await().atMost(Duration.ofSeconds(60))
                .until(() -> dlt("show", source), found -> found.size() == 1);
        JsonNode first = letters.get(0);
        assertThat(probeSamples("edge-fra")).isZero();

        // when: it is replayed while the rule still holds
        assertThat(dlt("replay", source)).singleElement()
                .satisfies(line -> assertThat(line.get("action").asString()).isEqualTo("replayed"));

        // then: it is dead-lettered again, naming the letter it was replayed from
        List<JsonNode> again = await().atMost(Duration.ofSeconds(60))
                .until(() -> dlt("show", source), found -> found.size() == 2);
        String firstCoordinates = first.get("topic").asString() + "/" + first.get("partition").asInt() + "/"
                + first.get("offset").asLong();
        assertThat(again.get(1).get("value").get("replayedFrom").asString()).isEqualTo(firstCoordinates);
        assertThat(probeSamples("edge-fra")).isZero();

        // when: the rule is relaxed (processors restarted with a 10-minute bound) and every letter is replayed
        processors.close();
        processors = startProcessors("10m");
        assertThat(dlt("replay", source, "--again")).hasSize(2)
                .allSatisfy(line -> assertThat(line.get("action").asString()).isEqualTo("replayed"));

        // then: the sample counts once in edge health and once in PostgreSQL
        await().atMost(Duration.ofSeconds(90)).untilAsserted(() -> assertThat(probeSamples("edge-fra")).isEqualTo(1));
        assertThat(samplesInPostgres()).isEqualTo(1);

        // when: replayed once more, then a fresh probe sample follows it through the same topology
        assertThat(dlt("replay", source, "--again")).hasSize(2);
        assertThat(http.post("/api/jetty/edge-metrics", EDGE_KEY, """
                {"samples":[{"edgeId":"edge-fra","latencyMs":40,"bandwidthMbps":400,"load":0.2,"errorRate":0,
                 "eventId":"replay-probe-2"}]}""").status()).isEqualTo(202);

        // then: once the later sample is counted, the replays still counted once
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertThat(probeSamples("edge-fra")).isEqualTo(2));
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertThat(samplesInPostgres()).isEqualTo(1));
    }

    private static ConfigurableApplicationContext startProcessors(String maxClockSkew) throws Exception {
        return InProcessServices.processors(topics, applicationId, "--jetty.processors.max-clock-skew=" + maxClockSkew);
    }

    /** Runs {@code ./jettyspeed dlt ...} against the test broker; its JSON lines. */
    private static List<JsonNode> dlt(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        String[] command = new String[args.length + 1];
        command[0] = "dlt";
        System.arraycopy(args, 0, command, 1, args.length);
        int status = Jettyspeed.run(command, Map.of("KAFKA_BOOTSTRAP_SERVERS", SharedKafka.bootstrapServers()),
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8),
                Clock.systemUTC());
        assertThat(status).as(err.toString(StandardCharsets.UTF_8)).isZero();
        return out.toString(StandardCharsets.UTF_8).lines().filter(line -> !line.isBlank()).map(JSON::readTree).toList();
    }

    private static int probeSamples(String edgeId) {
        return TopicReader.readAll(SharedKafka.bootstrapServers(), topics.edgeHealth()).stream()
                .filter(record -> edgeId.equals(record.key()) && record.value() != null)
                .map(record -> (EdgeHealth) record.value())
                .reduce((earlier, later) -> later)
                .map(health -> (int) health.getProbeSamples()).orElse(0);
    }

    private static int samplesInPostgres() throws Exception {
        try (var connection = postgres.connect()) {
            return Integer.parseInt(SqlRows.query(connection, "SELECT count(*) FROM edge_samples WHERE event_id = '"
                    + EVENT_ID + "'").get(0));
        }
    }
}
