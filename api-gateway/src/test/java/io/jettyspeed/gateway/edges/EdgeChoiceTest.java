package io.jettyspeed.gateway.edges;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.jettyspeed.schemas.EdgeHealth;
import io.jettyspeed.schemas.EdgeState;
import io.jettyspeed.schemas.edges.EdgeCatalog;
import io.jettyspeed.schemas.edges.EdgeHealthRules;
import io.jettyspeed.schemas.edges.EdgeLocation;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

class EdgeChoiceTest {

    private static final EdgeChoice.Request SAN_JOSE_100MB = new EdgeChoice.Request(37.3382, -121.8863, 100L * 1024 * 1024);

    @Test
    void shouldGiveFiveEdgesNinetyPercentAndTheFallbackTenPercent() {
        // given
        List<EdgeHealth> health = EdgeCatalog.EDGES.stream().map(e -> health(e.edgeId(), EdgeState.HEALTHY, 0.9, 100.0)).toList();

        // when
        EdgeChoice.Result result = EdgeChoice.choose(health, SAN_JOSE_100MB);

        // then
        assertThat(result.degraded()).isFalse();
        assertThat(result.edges()).hasSize(6);
        assertThat(result.edges().get(5).edgeId()).isEqualTo(EdgeCatalog.DIRECT_STORAGE_ID);
        assertThat(result.edges().get(5).weight()).isEqualTo(0.10);
        assertThat(result.edges().subList(0, 5).stream().mapToDouble(EdgeChoice.WeightedEdge::weight).sum()).isCloseTo(0.90, within(1e-9));
        assertThat(result.edges().stream().mapToDouble(EdgeChoice.WeightedEdge::weight).sum()).isCloseTo(1.0, within(1e-9));
        assertThat(result.edges().get(0).edgeId()).isEqualTo("edge-sfo");
        assertThat(result.edges().subList(0, 5)).extracting(EdgeChoice.WeightedEdge::edgeId)
                .contains("edge-sfo", "edge-lax", "edge-sea");
    }

    @Test
    void shouldNeverRecommendEjectedOrStaleEdges() {
        // given
        List<EdgeHealth> health = new ArrayList<>(EdgeCatalog.EDGES.stream()
                .map(e -> health(e.edgeId(), EdgeState.HEALTHY, 0.9, 100.0)).toList());
        health.set(0, health("edge-sfo", EdgeState.EJECTED, 0.0, 100.0));
        health.set(1, health("edge-lax", EdgeState.STALE, 0.0, 100.0));

        // when
        EdgeChoice.Result result = EdgeChoice.choose(health, SAN_JOSE_100MB);

        // then
        assertThat(result.edges()).extracting(EdgeChoice.WeightedEdge::edgeId).doesNotContain("edge-sfo", "edge-lax");
    }

    @Test
    void shouldAnswerDegradedWithTheFallbackAloneWhenEveryEdgeIsEjectedOrStale() {
        // given: every catalogued edge has reported and is now ejected or stale (none is unprobed)
        List<EdgeHealth> health = new ArrayList<>();
        for (int i = 0; i < EdgeCatalog.EDGES.size(); i++) {
            health.add(health(EdgeCatalog.EDGES.get(i).edgeId(), i % 2 == 0 ? EdgeState.EJECTED : EdgeState.STALE, 0.0, 100.0));
        }
        // and one that only chunk outcomes reported, ejected too
        health.set(0, unprobed("edge-sfo", EdgeState.EJECTED, 0.0, null));

        // when
        EdgeChoice.Result result = EdgeChoice.choose(health, SAN_JOSE_100MB);

        // then
        assertThat(result.degraded()).isTrue();
        assertThat(result.edges()).singleElement().satisfies(edge -> {
            assertThat(edge.edgeId()).isEqualTo(EdgeCatalog.DIRECT_STORAGE_ID);
            assertThat(edge.weight()).isEqualTo(1.0);
        });
    }

    @Test
    void shouldRecommendTheNearestEdgesMarkedUnprobedWhenNoProbeHasReported() {
        // when: a fresh deployment, no health record at all
        EdgeChoice.Result result = EdgeChoice.choose(List.of(), SAN_JOSE_100MB);

        // then: the five nearest edges at the prior, weighted by distance alone, and the fallback
        assertThat(result.degraded()).isFalse();
        assertThat(result.edges()).extracting(EdgeChoice.WeightedEdge::edgeId)
                .containsExactly("edge-sfo", "edge-lax", "edge-sea", "edge-dfw", "edge-ord", EdgeCatalog.DIRECT_STORAGE_ID);
        List<EdgeChoice.WeightedEdge> edges = result.edges().subList(0, 5);
        assertThat(edges).allSatisfy(edge -> {
            assertThat(edge.unprobed()).isTrue();
            assertThat(edge.healthScore()).isEqualTo(EdgeHealthRules.UNPROBED_PRIOR_SCORE);
            assertThat(edge.expectedThroughputMbps()).isCloseTo(
                    EdgeHealthRules.ASSUMED_BANDWIDTH_MBPS * EdgeHealthRules.UNPROBED_PRIOR_SCORE / (1 + edge.distanceKm() / 1000), within(1e-3));
        });
        assertThat(edges).extracting(EdgeChoice.WeightedEdge::weight).isSortedAccordingTo((a, b) -> Double.compare(b, a));
        assertThat(edges.stream().mapToDouble(EdgeChoice.WeightedEdge::weight).sum()).isCloseTo(0.90, within(1e-9));
        assertThat(result.edges().get(5).weight()).isEqualTo(0.10);
        assertThat(result.edges().get(5).unprobed()).isFalse();
        // and the same (empty) state gives the same answer
        assertThat(EdgeChoice.choose(List.of(), SAN_JOSE_100MB)).isEqualTo(result);
    }

    @Test
    void shouldRankProbedAndUnprobedEdgesByTheSameFormula() {
        // given: Los Angeles probed healthy and fast, San Francisco never reported, Seattle reported only by
        // chunk uploads (fast ones), Dallas probed but slow, every other edge stale
        List<EdgeHealth> health = new ArrayList<>(EdgeCatalog.EDGES.stream()
                .map(e -> health(e.edgeId(), EdgeState.STALE, 0.0, 100.0)).toList());
        health.removeIf(h -> h.getEdgeId().equals("edge-sfo"));
        health.replaceAll(h -> switch (h.getEdgeId()) {
            case "edge-lax" -> health("edge-lax", EdgeState.HEALTHY, 0.9, 400.0);
            case "edge-sea" -> unprobed("edge-sea", EdgeState.DEGRADED, 0.5, 300.0);
            case "edge-dfw" -> health("edge-dfw", EdgeState.HEALTHY, 0.9, 20.0);
            default -> h;
        });

        // when
        EdgeChoice.Result result = EdgeChoice.choose(health, SAN_JOSE_100MB);

        // then: probed-fast beats unprobed nearer; the passive-only edge keeps its observed bandwidth;
        // a probed edge measured slower than the prior assumes ranks below the unknown one
        assertThat(result.edges()).extracting(EdgeChoice.WeightedEdge::edgeId)
                .containsExactly("edge-lax", "edge-sea", "edge-sfo", "edge-dfw", EdgeCatalog.DIRECT_STORAGE_ID);
        assertThat(result.edges()).extracting(EdgeChoice.WeightedEdge::unprobed)
                .containsExactly(false, true, true, false, false);
        assertThat(result.edges().get(1).expectedThroughputMbps())
                .isCloseTo(300 * 0.5 / (1 + result.edges().get(1).distanceKm() / 1000), within(1e-3));
    }

    @Test
    void shouldBeDeterministicAndBreakTiesByEdgeId() {
        // given: every edge at the same place would tie; use two co-located distances via identical health
        List<EdgeHealth> health = new ArrayList<>(EdgeCatalog.EDGES.stream()
                .map(e -> health(e.edgeId(), EdgeState.HEALTHY, 0.8, 50.0)).toList());
        List<EdgeHealth> shuffled = new ArrayList<>(health);
        Collections.reverse(shuffled);
        // Ashburn and direct storage share coordinates; a client there sees edge-iad first.
        EdgeChoice.Request atAshburn = new EdgeChoice.Request(39.0438, -77.4874, 5_000_000);

        // when
        EdgeChoice.Result first = EdgeChoice.choose(health, atAshburn);
        EdgeChoice.Result second = EdgeChoice.choose(shuffled, atAshburn);

        // then
        assertThat(first).isEqualTo(second);
        assertThat(first.edges().get(0).edgeId()).isEqualTo("edge-iad");
    }

    @Test
    void shouldPreferAHealthierEdgeOverANearerButWorseOne() {
        // given: every other edge stale
        List<EdgeHealth> health = new ArrayList<>(EdgeCatalog.EDGES.stream()
                .map(e -> health(e.edgeId(), EdgeState.STALE, 0.0, 100.0)).toList());
        health.replaceAll(h -> switch (h.getEdgeId()) {
            case "edge-sfo" -> health("edge-sfo", EdgeState.DEGRADED, 0.1, 100.0);
            case "edge-lax" -> health("edge-lax", EdgeState.HEALTHY, 0.95, 100.0);
            default -> h;
        });

        // when
        EdgeChoice.Result result = EdgeChoice.choose(health, SAN_JOSE_100MB);

        // then
        assertThat(result.edges()).extracting(EdgeChoice.WeightedEdge::edgeId)
                .containsExactly("edge-lax", "edge-sfo", EdgeCatalog.DIRECT_STORAGE_ID);
        assertThat(result.edges().get(0).weight()).isGreaterThan(result.edges().get(1).weight());
    }

    @Test
    void shouldMeasureGreatCircleDistance() {
        assertThat(EdgeChoice.distanceKm(51.5074, -0.1278, 50.1109, 8.6821)).isCloseTo(636, within(5.0));
    }

    static EdgeHealth health(String edgeId, EdgeState state, double score, Double bandwidth) {
        return EdgeHealth.newBuilder().setEdgeId(edgeId).setRegion(EdgeCatalog.find(edgeId).map(EdgeLocation::region).orElse("?"))
                .setState(state).setScore(score).setLatencyMs(50.0).setBandwidthMbps(bandwidth).setLoad(0.1).setErrorRate(0.0)
                .setConsecutiveFailures(0).setTimesEjected(0).setLastSeenAt(Instant.EPOCH).setUpdatedAt(Instant.EPOCH)
                .setProbeSamples(1).setChunkSuccesses(0).setChunkFailures(0).build();
    }

    /** An edge only chunk outcomes have reported: no probe sample, no latency or load. */
    static EdgeHealth unprobed(String edgeId, EdgeState state, double score, Double bandwidth) {
        return EdgeHealth.newBuilder(health(edgeId, state, score, bandwidth)).setLatencyMs(null).setLoad(null)
                .setProbeSamples(0).setChunkSuccesses(3).build();
    }
}
