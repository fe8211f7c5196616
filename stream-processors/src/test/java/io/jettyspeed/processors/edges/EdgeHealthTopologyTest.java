package io.jettyspeed.processors.edges;

import static io.jettyspeed.processors.TestDrivers.START;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.jettyspeed.processors.StoreNames;
import io.jettyspeed.processors.TopologyFixture;
import io.jettyspeed.schemas.ChunkEvent;
import io.jettyspeed.schemas.ChunkStatus;
import io.jettyspeed.schemas.DeadLetter;
import io.jettyspeed.schemas.DeadLetterReason;
import io.jettyspeed.schemas.EdgeHealth;
import io.jettyspeed.schemas.EdgeMetricSample;
import io.jettyspeed.schemas.EdgeState;
import io.jettyspeed.schemas.Topics;
import io.jettyspeed.schemas.edges.EdgeCatalog;
import io.jettyspeed.schemas.edges.EdgeHealthRules;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.state.KeyValueStore;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class EdgeHealthTopologyTest {

    @RegisterExtension
    final TopologyFixture topology = TopologyFixture.of(EdgeHealthTopology::build, EdgeHealthConfig.defaults());
    private final Topics topics = topology.topics();
    private TestInputTopic<String, EdgeMetricSample> metrics;
    private TestInputTopic<String, ChunkEvent> chunks;
    private TestOutputTopic<String, EdgeHealth> health;
    private KeyValueStore<String, EdgeHealth> store;
    private Instant now = START;

    @BeforeEach
    void setUp() {
        metrics = topology.input(topics.edgeMetrics());
        chunks = topology.input(topics.chunkEvents());
        health = topology.output(topics.edgeHealth());
        store = topology.store(StoreNames.EDGE_HEALTH);
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
        List<EdgeHealth> outputs = emitted();
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
        // given: every edge has reported and gone silent (stale) but Singapore, so it is the last eligible one
        EdgeCatalog.EDGES.forEach(edge -> probe(edge.edgeId(), 40));
        tick(Duration.ofSeconds(20));
        probe("edge-sin", 40);

        // when
        failChunks("edge-sin", 5);

        // then
        EdgeHealth sin = store.get("edge-sin");
        assertThat(sin.getState()).isNotEqualTo(EdgeState.EJECTED);
        assertThat(sin.getReasons()).anyMatch(reason -> reason.startsWith("outlier, not ejected"));
    }

    @Test
    void shouldEjectAnUnprobedEdgeAfterFiveConsecutiveChunkFailuresSoItLosesItsShare() {
        // given: no probe has reported any edge, so all are eligible at the prior (the gateway's EdgeChoice
        // sends a client in San Francisco to edge-sfo first; EdgeChoiceTest covers how records rank)

        // when: chunk uploads through it fail
        failChunks("edge-sfo", 4);
        EdgeHealth afterFour = store.get("edge-sfo");
        failChunks("edge-sfo", 1);
        EdgeHealth ejected = store.get("edge-sfo");

        // then: failures lower its score below the prior (a smaller share), the fifth ejects it as it would
        // any edge (the nineteen unprobed edges are eligible, so ejecting it leaves plenty), and it gets nothing
        assertThat(afterFour.getProbeSamples()).isZero();
        assertThat(afterFour.getState()).isEqualTo(EdgeState.DEGRADED);
        assertThat(afterFour.getScore()).isLessThan(EdgeHealthRules.UNPROBED_PRIOR_SCORE * 0.25);
        assertThat(EdgeHealthRules.isUnprobed(afterFour)).isTrue();
        assertThat(afterFour.getReasons()).contains("4 consecutive chunk failures")
                .anyMatch(reason -> reason.startsWith("unprobed"));
        assertThat(ejected.getState()).isEqualTo(EdgeState.EJECTED);
        assertThat(ejected.getEjectedUntil()).isEqualTo(now.plusSeconds(30));
        assertThat(emitted()).last().extracting(EdgeHealth::getState).isEqualTo(EdgeState.EJECTED);
        assertThat(EdgeHealthRules.isRecommendable(ejected)).isFalse();
        // the nineteen others have no record: unprobed, so still eligible
        assertThat(storeContents()).extracting(EdgeHealth::getEdgeId).containsExactly("edge-sfo");

        // when: the ejection ends, it is unprobed again (not stale), and it fails again
        tick(Duration.ofSeconds(31));
        EdgeHealth returned = store.get("edge-sfo");
        failChunks("edge-sfo", 5);

        // then: eligible after the ejection, ejected again for twice as long
        assertThat(returned.getState()).isEqualTo(EdgeState.DEGRADED);
        assertThat(EdgeHealthRules.isRecommendable(returned)).isTrue();
        assertThat(store.get("edge-sfo").getState()).isEqualTo(EdgeState.EJECTED);
        assertThat(store.get("edge-sfo").getEjectedUntil()).isEqualTo(now.plusSeconds(60));
    }

    @Test
    void shouldKeepAnEdgeOnlyChunkUploadsReportedUnprobedAndEligibleWhenItGoesQuiet() {
        // given: fast chunk uploads through Los Angeles, which no probe reports; Sydney's probe reports once
        completeChunks("edge-lax", 3);
        probe("edge-syd", 40);

        // when: both go quiet for longer than the staleness limit
        tick(Duration.ofSeconds(20));

        // then: Sydney's probe went silent, so it is stale; Los Angeles is not worse off than an edge never
        // seen: unprobed at the prior score, with the bandwidth its chunks showed, and recommended
        assertThat(store.get("edge-syd").getState()).isEqualTo(EdgeState.STALE);
        EdgeHealth lax = store.get("edge-lax");
        assertThat(lax.getState()).isEqualTo(EdgeState.DEGRADED);
        assertThat(lax.getScore()).isEqualTo(EdgeHealthRules.UNPROBED_PRIOR_SCORE);
        assertThat(lax.getBandwidthMbps()).isCloseTo(8 * 8.388608 / 0.4, within(0.01));
        assertThat(lax.getReasons()).containsExactly("unprobed: no probe yet, scored at the prior 0.5");
        assertThat(EdgeHealthRules.isUnprobed(lax)).isTrue();
        assertThat(EdgeHealthRules.isRecommendable(lax)).isTrue();
        assertThat(EdgeHealthRules.isRecommendable(store.get("edge-syd"))).isFalse();

        // when: a probe reports Los Angeles and then goes silent
        probe("edge-lax", 40);
        EdgeHealth probed = store.get("edge-lax");
        tick(Duration.ofSeconds(20));

        // then: from its first probe on it is an edge like any other: healthy, and stale when the probe stops
        assertThat(probed.getState()).isEqualTo(EdgeState.HEALTHY);
        assertThat(probed.getReasons()).noneMatch(reason -> reason.startsWith("unprobed"));
        assertThat(store.get("edge-lax").getState()).isEqualTo(EdgeState.STALE);
    }

    @Test
    void shouldMarkASilentEdgeStaleAndReEmitIt() {
        // given
        probe("edge-syd", 40);
        emitted();

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
    void shouldEmitEachChangedEdgeOncePerIntervalWithItsLatestHealth() {
        // given: many observations of two edges within one emit interval
        for (int i = 0; i < 10; i++) {
            probe("edge-fra", 40 + i);
        }
        completeChunksWithoutPause("edge-ams", 3);

        // when
        List<EdgeHealth> beforeTheInterval = health.readValuesToList();
        List<EdgeHealth> first = emitted();
        List<EdgeHealth> second = emitted();

        // then: nothing before the interval ends, then each edge once with its latest health, then nothing new
        assertThat(beforeTheInterval).isEmpty();
        assertThat(first).extracting(EdgeHealth::getEdgeId).containsExactly("edge-fra", "edge-ams");
        assertThat(first.get(0)).isEqualTo(store.get("edge-fra"));
        assertThat(first.get(0).getProbeSamples()).isEqualTo(10);
        assertThat(first.get(1).getChunkSuccesses()).isEqualTo(3);
        assertThat(second).isEmpty();
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
        assertThat(emitted()).hasSize(1);
        assertThat(topology.dropped(EdgeHealthProcessor.NAME, "duplicate")).isEqualTo(1.0);
    }

    @Test
    void shouldDeadLetterPoisonAndUnknownEdgesAndProcessTheNextRecord() {
        // given
        var raw = topology.rawInput(topics.edgeMetrics());
        var dlt = topology.deadLetters(topics.edgeMetrics());

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
        assertThat(emitted()).extracting(EdgeHealth::getEdgeId).containsExactly("edge-lhr");
    }

    /** What the processor emitted by the end of the next emit interval. */
    private List<EdgeHealth> emitted() {
        tick(EdgeHealthConfig.defaults().emitInterval());
        return health.readValuesToList();
    }

    private void tick(Duration duration) {
        now = now.plus(duration);
        topology.driver().advanceWallClockTime(duration);
    }

    private void probe(String edgeId, double latencyMs) {
        metrics.pipeInput(edgeId, sample(edgeId, latencyMs, UUID.randomUUID().toString()), now);
    }

    private EdgeMetricSample sample(String edgeId, double latencyMs, String eventId) {
        return EdgeMetricSample.newBuilder().setEventId(eventId).setEventTime(now).setReceivedAt(now)
                .setEdgeId(edgeId).setLatencyMs(latencyMs).setBandwidthMbps(200).setLoad(0.2).setErrorRate(0)
                .build();
    }

    private List<EdgeHealth> storeContents() {
        List<EdgeHealth> all = new ArrayList<>();
        try (var iterator = store.all()) {
            iterator.forEachRemaining(entry -> all.add(entry.value));
        }
        return all;
    }

    /** Chunks of 8 MiB through the edge, 400 ms each (about 168 Mbps), one a second apart. */
    private void completeChunks(String edgeId, int count) {
        for (int i = 0; i < count; i++) {
            completeChunk("session-2", edgeId, i);
            tick(Duration.ofSeconds(1));
        }
    }

    /** The same chunks, all at once. */
    private void completeChunksWithoutPause(String edgeId, int count) {
        for (int i = 0; i < count; i++) {
            completeChunk("session-3", edgeId, i);
        }
    }

    private void completeChunk(String sessionId, String edgeId, int index) {
        chunks.pipeInput(sessionId, ChunkEvent.newBuilder().setEventId(UUID.randomUUID().toString())
                .setEventTime(now).setReceivedAt(now).setSessionId(sessionId).setChunkIndex(index)
                .setStatus(ChunkStatus.COMPLETED).setEdgeId(edgeId).setChunkBytes(8L << 20).setDurationMs(400L)
                .build(), now);
    }

    private void failChunks(String edgeId, int count) {
        for (int i = 0; i < count; i++) {
            chunks.pipeInput("session-1", ChunkEvent.newBuilder().setEventId(UUID.randomUUID().toString())
                    .setEventTime(now).setReceivedAt(now).setSessionId("session-1").setChunkIndex(i)
                    .setStatus(ChunkStatus.FAILED).setEdgeId(edgeId).setErrorMessage("timeout").build(), now);
        }
    }
}
