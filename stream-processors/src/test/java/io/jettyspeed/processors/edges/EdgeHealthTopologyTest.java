package io.jettyspeed.processors.edges;

import static io.jettyspeed.processors.TestDrivers.START;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.jettyspeed.processors.StoreNames;
import io.jettyspeed.processors.TestDrivers;
import io.jettyspeed.schemas.ChunkEvent;
import io.jettyspeed.schemas.ChunkStatus;
import io.jettyspeed.schemas.DeadLetter;
import io.jettyspeed.schemas.DeadLetterReason;
import io.jettyspeed.schemas.EdgeHealth;
import io.jettyspeed.schemas.EdgeMetricSample;
import io.jettyspeed.schemas.EdgeState;
import io.jettyspeed.schemas.Topics;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.state.KeyValueStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EdgeHealthTopologyTest {

    private final Topics topics = Topics.of("test.", 6);
    @TempDir
    Path stateDir;
    private TopologyTestDriver driver;
    private TestInputTopic<String, EdgeMetricSample> metrics;
    private TestInputTopic<String, ChunkEvent> chunks;
    private TestOutputTopic<String, EdgeHealth> health;
    private KeyValueStore<String, EdgeHealth> store;
    private Instant now = START;

    @BeforeEach
    void setUp() {
        driver = TestDrivers.driver(EdgeHealthTopology.build(topics, EdgeHealthConfig.defaults()), stateDir);
        metrics = TestDrivers.input(driver, topics.edgeMetrics());
        chunks = TestDrivers.input(driver, topics.chunkEvents());
        health = TestDrivers.output(driver, topics.edgeHealth());
        store = driver.getKeyValueStore(StoreNames.EDGE_HEALTH);
    }

    @AfterEach
    void tearDown() {
        driver.close();
    }

    @Test
    void shouldReflectALatencySpikeAtOnceAndRecoverGradually() {
        // given
        probe("edge-fra", 50);
        tick(Duration.ofSeconds(1));

        // when
        probe("edge-fra", 900);
        double afterSpike = store.get("edge-fra").getLatencyMs();
        double[] recovery = new double[5];
        for (int i = 0; i < recovery.length; i++) {
            tick(Duration.ofSeconds(1));
            probe("edge-fra", 50);
            recovery[i] = store.get("edge-fra").getLatencyMs();
        }

        // then
        assertThat(afterSpike).isEqualTo(900.0);
        assertThat(recovery[0]).isCloseTo(900 * Math.exp(-0.1) + 50 * (1 - Math.exp(-0.1)), within(0.01));
        assertThat(recovery).isSortedAccordingTo((a, b) -> Double.compare(b, a));
        assertThat(recovery[4]).isBetween(500.0, 700.0);
        List<EdgeHealth> outputs = health.readValuesToList();
        assertThat(outputs).hasSize(7);
        assertThat(outputs.get(1).getReasons()).contains("latency 900ms above 300ms");
        assertThat(outputs.get(1).getScore()).isLessThan(outputs.get(0).getScore());
    }

    @Test
    void shouldEjectEdgeAfterFiveConsecutiveChunkFailuresAndGrowTheBackOffUpToFiveMinutes() {
        // given: two healthy edges, so ejecting one is allowed
        probe("edge-fra", 40);
        probe("edge-ams", 40);

        // when
        failChunks("edge-fra", 4);
        EdgeHealth afterFour = store.get("edge-fra");
        failChunks("edge-fra", 1);
        EdgeHealth firstEjection = store.get("edge-fra");

        // then
        assertThat(afterFour.getState()).isNotEqualTo(EdgeState.EJECTED);
        assertThat(afterFour.getConsecutiveFailures()).isEqualTo(4);
        assertThat(firstEjection.getState()).isEqualTo(EdgeState.EJECTED);
        assertThat(firstEjection.getScore()).isZero();
        assertThat(firstEjection.getEjectedUntil()).isEqualTo(now.plusSeconds(30));
        assertThat(firstEjection.getReasons().get(0)).startsWith("ejected until");

        // when: the ejection ends and the edge fails again
        tick(Duration.ofSeconds(31));
        assertThat(store.get("edge-fra").getState()).isNotEqualTo(EdgeState.EJECTED);
        probe("edge-ams", 40);
        failChunks("edge-fra", 5);

        // then: the second ejection lasts twice as long
        assertThat(store.get("edge-fra").getTimesEjected()).isEqualTo(2);
        assertThat(store.get("edge-fra").getEjectedUntil()).isEqualTo(now.plusSeconds(60));

        // when: it keeps failing after every ejection
        for (int ejection = 3; ejection <= 12; ejection++) {
            tick(Duration.ofMinutes(5).plusSeconds(1));
            probe("edge-ams", 40);
            failChunks("edge-fra", 5);
        }

        // then: capped at 300 s
        assertThat(store.get("edge-fra").getTimesEjected()).isEqualTo(12);
        assertThat(store.get("edge-fra").getEjectedUntil()).isEqualTo(now.plusSeconds(300));
    }

    @Test
    void shouldNeverEjectTheLastEdge() {
        // given: a single reporting edge
        probe("edge-sin", 40);

        // when
        failChunks("edge-sin", 5);

        // then
        EdgeHealth sin = store.get("edge-sin");
        assertThat(sin.getState()).isNotEqualTo(EdgeState.EJECTED);
        assertThat(sin.getReasons()).anyMatch(reason -> reason.startsWith("outlier, not ejected"));
    }

    @Test
    void shouldMarkASilentEdgeStaleAndReEmitIt() {
        // given
        probe("edge-syd", 40);
        health.readValuesToList();

        // when
        tick(Duration.ofSeconds(20));

        // then
        EdgeHealth stale = health.readValue();
        assertThat(stale.getState()).isEqualTo(EdgeState.STALE);
        assertThat(stale.getScore()).isZero();
        assertThat(stale.getReasons().get(0)).startsWith("stale: no sample for");
        assertThat(store.get("edge-syd").getState()).isEqualTo(EdgeState.STALE);

        // when: it reports again
        probe("edge-syd", 40);

        // then
        assertThat(store.get("edge-syd").getState()).isEqualTo(EdgeState.HEALTHY);
    }

    @Test
    void shouldCountTheSameEventIdOnce() {
        // given
        EdgeMetricSample sample = sample("edge-nrt", 40, "probe-1");

        // when
        metrics.pipeInput("edge-nrt", sample, now);
        metrics.pipeInput("edge-nrt", sample, now);

        // then
        assertThat(store.get("edge-nrt").getProbeSamples()).isEqualTo(1);
        assertThat(health.readValuesToList()).hasSize(1);
        assertThat(TestDrivers.dropped(driver, EdgeHealthProcessor.NAME, "duplicate")).isEqualTo(1.0);
    }

    @Test
    void shouldDeadLetterPoisonAndUnknownEdgesAndProcessTheNextRecord() {
        // given
        var raw = TestDrivers.rawInput(driver, topics.edgeMetrics());
        var dlt = TestDrivers.deadLetters(driver, topics.edgeMetrics());

        // when
        raw.pipeInput("edge-lhr".getBytes(StandardCharsets.UTF_8), "garbage".getBytes(StandardCharsets.UTF_8), now);
        probe("edge-xyz", 40);
        probe("edge-lhr", 40);

        // then
        List<DeadLetter> letters = dlt.readValuesToList();
        assertThat(letters).extracting(DeadLetter::getReason)
                .containsExactly(DeadLetterReason.UNDECODABLE, DeadLetterReason.INVARIANT_VIOLATION);
        assertThat(letters.get(0).getSourceTopic()).isEqualTo(topics.edgeMetrics().name());
        assertThat(letters.get(0).getSourceOffset()).isZero();
        assertThat(letters.get(1).getDescription()).contains("unknown edgeId \"edge-xyz\"");
        assertThat(store.get("edge-lhr")).isNotNull();
        assertThat(health.readValue().getEdgeId()).isEqualTo("edge-lhr");
    }

    private void tick(Duration duration) {
        now = now.plus(duration);
        driver.advanceWallClockTime(duration);
    }

    private void probe(String edgeId, double latencyMs) {
        metrics.pipeInput(edgeId, sample(edgeId, latencyMs, UUID.randomUUID().toString()), now);
    }

    private EdgeMetricSample sample(String edgeId, double latencyMs, String eventId) {
        return EdgeMetricSample.newBuilder().setEventId(eventId).setEventTime(now).setReceivedAt(now)
                .setEdgeId(edgeId).setLatencyMs(latencyMs).setBandwidthMbps(200).setLoad(0.2).setErrorRate(0)
                .build();
    }

    private void failChunks(String edgeId, int count) {
        for (int i = 0; i < count; i++) {
            chunks.pipeInput("session-1", ChunkEvent.newBuilder().setEventId(UUID.randomUUID().toString())
                    .setEventTime(now).setReceivedAt(now).setSessionId("session-1").setChunkIndex(i)
                    .setStatus(ChunkStatus.FAILED).setEdgeId(edgeId).setErrorMessage("timeout").build(), now);
        }
    }
}
