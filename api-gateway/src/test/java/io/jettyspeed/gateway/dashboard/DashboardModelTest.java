package io.jettyspeed.gateway.dashboard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.jettyspeed.gateway.edges.EdgeHealthController;
import io.jettyspeed.schemas.EdgeHealth;
import io.jettyspeed.schemas.EdgeState;
import io.jettyspeed.schemas.Plan;
import io.jettyspeed.schemas.UserStats;
import io.jettyspeed.schemas.edges.EdgeCatalog;
import io.jettyspeed.schemas.edges.EdgeHealthRules;
import io.jettyspeed.schemas.edges.EdgeLocation;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The pure parts of the dashboard feed: history, totals, recommendation shares. */
class DashboardModelTest {

    @Test
    void shouldKeepOnePointPerIntervalWithTheNewestValueAndDropTheOldest() {
        // given
        EdgeHistory history = new EdgeHistory(3, 2_000);

        // when
        history.add(new EdgeHistory.Point(0, 0.9, 40.0, "healthy"));
        history.add(new EdgeHistory.Point(500, 0.8, 60.0, "healthy"));
        history.add(new EdgeHistory.Point(2_000, 0.5, 400.0, "degraded"));
        history.add(new EdgeHistory.Point(4_100, 0.0, 900.0, "ejected"));
        history.add(new EdgeHistory.Point(6_200, 0.95, 35.0, "healthy"));

        // then
        assertThat(history.points()).containsExactly(
                new EdgeHistory.Point(2_000, 0.5, 400.0, "degraded"),
                new EdgeHistory.Point(4_100, 0.0, 900.0, "ejected"),
                new EdgeHistory.Point(6_200, 0.95, 35.0, "healthy"));
    }

    @Test
    void shouldSumEveryUsersUploadsBytesAndDedupSavings() {
        // when
        Map<String, Object> totals = DashboardTotals.of(List.of(user("usr_1", 5, 3, 1, 300, 2, 100, 4.5),
                user("usr_2", 2, 1, 0, 100, 0, 0, 0)), 7);

        // then
        assertThat(totals).containsEntry("users", 2).containsEntry("uploadsStarted", 7L)
                .containsEntry("uploadsCompleted", 4L).containsEntry("uploadsFailed", 1L)
                .containsEntry("uploadsInFlight", 2L).containsEntry("bytesUploaded", 400L)
                .containsEntry("clones", 2L).containsEntry("bytesSaved", 100L).containsEntry("secondsSaved", 4.5)
                .containsEntry("storedFiles", 7).containsEntry("dedupRatio", 0.2);
    }

    @Test
    void shouldGiveAnEjectedEdgeNoShareAndShareTheRestLikeOptimalEdges() {
        // given: every edge healthy except Frankfurt
        List<EdgeHealth> health = new ArrayList<>();
        EdgeCatalog.EDGES.forEach(edge -> health.add(health(edge.edgeId(),
                edge.edgeId().equals("edge-fra") ? EdgeState.EJECTED : EdgeState.HEALTHY,
                edge.edgeId().equals("edge-fra") ? 0 : 0.95)));

        // when
        Map<String, Double> shares = RecommendationShares.of(health);
        Map<String, Double> allHealthy = RecommendationShares.of(health.stream()
                .map(h -> health(h.getEdgeId(), EdgeState.HEALTHY, 0.95)).toList());

        // then
        assertThat(shares.get("edge-fra")).isZero();
        assertThat(allHealthy.get("edge-fra")).isGreaterThan(0.01);
        assertThat(shares.get(EdgeCatalog.DIRECT_STORAGE_ID)).isCloseTo(0.10, within(1e-9));
        assertThat(shares.values().stream().mapToDouble(Double::doubleValue).sum()).isCloseTo(1.0, within(1e-3));
        assertThat(shares.get("edge-ams") + shares.get("edge-cdg") + shares.get("edge-lhr"))
                .isGreaterThan(allHealthy.get("edge-ams") + allHealthy.get("edge-cdg") + allHealthy.get("edge-lhr"));
    }

    @Test
    void shouldShareTheTrafficAmongUnprobedEdgesBeforeAnyProbeHasReported() {
        // when: a fresh deployment, no edge health at all
        Map<String, Double> shares = RecommendationShares.of(List.of());

        // then: every edge is recommended to the clients near it, the fallback keeps its tenth
        assertThat(shares).hasSize(EdgeCatalog.EDGES.size() + 1);
        EdgeCatalog.EDGES.forEach(edge -> assertThat(shares.get(edge.edgeId())).as(edge.edgeId()).isGreaterThan(0.01));
        assertThat(shares.get(EdgeCatalog.DIRECT_STORAGE_ID)).isCloseTo(0.10, within(1e-9));
        assertThat(shares.values().stream().mapToDouble(Double::doubleValue).sum()).isCloseTo(1.0, within(1e-3));
    }

    @Test
    void shouldDescribeEdgesNoProbeHasReportedAsUnprobed() {
        // given
        EdgeLocation sfo = EdgeCatalog.find("edge-sfo").orElseThrow();
        EdgeHealth chunksOnly = EdgeHealth.newBuilder(health("edge-sfo", EdgeState.DEGRADED, 0.5)).setProbeSamples(0)
                .setLatencyMs(null).setLoad(null).setChunkSuccesses(4).build();
        EdgeHealth chunksOnlyEjected = EdgeHealth.newBuilder(chunksOnly).setState(EdgeState.EJECTED).setScore(0).build();

        // when
        Map<String, Object> neverSeen = EdgeHealthController.describe(sfo, null);
        Map<String, Object> passive = EdgeHealthController.describe(sfo, chunksOnly);
        Map<String, Object> ejected = EdgeHealthController.describe(sfo, chunksOnlyEjected);
        Map<String, Object> probed = EdgeHealthController.describe(sfo, health("edge-sfo", EdgeState.DEGRADED, 0.6));

        // then: the page colours and counts by state, and marks the flag
        assertThat(neverSeen).containsEntry("state", "unprobed").containsEntry("unprobed", true)
                .containsEntry("score", EdgeHealthRules.UNPROBED_PRIOR_SCORE);
        assertThat((List<?>) neverSeen.get("reasons")).singleElement().asString().startsWith("no probe has reported yet");
        assertThat(passive).containsEntry("state", "unprobed").containsEntry("unprobed", true).containsEntry("score", 0.5);
        assertThat(ejected).containsEntry("state", "ejected").containsEntry("unprobed", true);
        assertThat(probed).containsEntry("state", "degraded").containsEntry("unprobed", false);
    }

    static EdgeHealth health(String edgeId, EdgeState state, double score) {
        Instant now = Instant.parse("2025-01-01T00:00:00Z");
        return EdgeHealth.newBuilder().setEdgeId(edgeId).setRegion("r").setState(state).setScore(score)
                .setLatencyMs(40.0).setBandwidthMbps(500.0).setLoad(0.3).setErrorRate(0.0).setConsecutiveFailures(0)
                .setTimesEjected(0).setLastSeenAt(now).setUpdatedAt(now).setProbeSamples(1).setChunkSuccesses(0)
                .setChunkFailures(0).build();
    }

    static UserStats user(String id, long started, long completed, long failed, long bytes, long clones, long saved,
            double secondsSaved) {
        return UserStats.newBuilder().setUserId(id).setPlan(Plan.STARTER).setQuotaBytes(2_000_000_000L)
                .setStorageUsedBytes(bytes).setUploadsStarted(started).setUploadsCompleted(completed)
                .setUploadsFailed(failed).setUploadsExpired(0).setBytesUploaded(bytes).setClones(clones)
                .setBytesSaved(saved).setSecondsSaved(secondsSaved).setUpdatedAt(Instant.EPOCH).build();
    }
}
