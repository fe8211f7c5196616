package io.jettyspeed.schemas.edges;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.jettyspeed.schemas.EdgeHealth;
import io.jettyspeed.schemas.EdgeState;
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
    void shouldAnswerDegradedWithTheFallbackAloneWhenNoEdgeIsHealthy() {
        // given
        List<EdgeHealth> health = List.of(health("edge-sfo", EdgeState.EJECTED, 0.0, 100.0),
                health("edge-lax", EdgeState.STALE, 0.0, 100.0));

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
        // given
        List<EdgeHealth> health = List.of(health("edge-sfo", EdgeState.DEGRADED, 0.1, 100.0),
                health("edge-lax", EdgeState.HEALTHY, 0.95, 100.0));

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
}
