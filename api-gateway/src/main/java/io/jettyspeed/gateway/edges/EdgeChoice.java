package io.jettyspeed.gateway.edges;

import static io.jettyspeed.schemas.edges.EdgeHealthRules.ASSUMED_BANDWIDTH_MBPS;
import static io.jettyspeed.schemas.edges.EdgeHealthRules.UNPROBED_PRIOR_SCORE;
import static io.jettyspeed.schemas.edges.EdgeHealthRules.bandwidthMbps;
import static io.jettyspeed.schemas.edges.EdgeHealthRules.isRecommendable;
import static io.jettyspeed.schemas.edges.EdgeHealthRules.isUnprobed;

import io.jettyspeed.schemas.EdgeHealth;
import io.jettyspeed.schemas.edges.EdgeCatalog;
import io.jettyspeed.schemas.edges.EdgeHealthRules;
import io.jettyspeed.schemas.edges.EdgeLocation;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Which edges an upload should use, from the current {@link EdgeHealth} of every edge and where
 * the client is. The gateway's logic (the processors only compute the health it reads; what a record
 * means, they share through {@link EdgeHealthRules}). Pure and deterministic: the same health, location and size give the same answer.
 *
 * <p>Expected throughput of an edge = bandwidth × health score ÷ (1 + distance / 1000 km): the
 * edge's decayed bandwidth ({@value EdgeHealthRules#ASSUMED_BANDWIDTH_MBPS} Mbps until observed) discounted by
 * its score and by great-circle (haversine) distance, because throughput of a TCP upload falls
 * with round-trip time and round-trip time grows with distance. The top {@value #MAX_EDGES}
 * recommendable edges of the catalogue share {@value #EDGE_SHARE} of the traffic in proportion to
 * it; the direct-to-storage fallback always gets {@value #FALLBACK_SHARE}. With no recommendable
 * edge the fallback gets everything and the answer says {@code degraded}. Ties are broken by edge id.
 *
 * <p>Recommendable: HEALTHY or DEGRADED with a score above 0, or <em>unprobed</em>. As Envoy treats
 * a host without active health checks, a catalogued edge no probe has reported yet is eligible
 * ("healthy by default") and passive outlier detection (chunk outcomes, in the edge-health
 * topology) ejects it. An edge with no health record at all enters the same formula at the prior
 * score {@value EdgeHealthRules#UNPROBED_PRIOR_SCORE} and {@value EdgeHealthRules#ASSUMED_BANDWIDTH_MBPS} Mbps; an edge that only
 * chunk outcomes have reported carries the score the topology gave it (the prior times what the
 * outcomes showed). So a fresh deployment ranks by distance alone, and a probed healthy edge
 * outranks an unprobed one at a similar distance whenever its measured bandwidth × score exceeds
 * the prior's 50 Mbps. Unprobed edges are marked {@link WeightedEdge#unprobed()}.
 */
public final class EdgeChoice {

    public static final int MAX_EDGES = 5;
    public static final double EDGE_SHARE = 0.90;
    public static final double FALLBACK_SHARE = 0.10;
    private static final double EARTH_RADIUS_KM = 6371.0088;

    private EdgeChoice() {
    }

    /**
     * One recommended upload target with its share of the traffic; {@code unprobed} when no probe
     * has reported the edge yet (its score is the prior, or the prior lowered by chunk outcomes).
     */
    public record WeightedEdge(String edgeId, String region, String uploadUrl, double weight, double distanceKm,
            double expectedThroughputMbps, double healthScore, boolean unprobed) {
    }

    /**
     * The answer: targets whose weights sum to 1.0, and whether it is degraded. How to chunk the
     * file is the gateway's {@code UploadPlan}, which does not depend on edge health.
     */
    public record Result(List<WeightedEdge> edges, boolean degraded) {
    }

    /** Where the client is and what it uploads. */
    public record Request(double lat, double lng, long fileSize) {
        public Request {
            if (lat < -90 || lat > 90 || lng < -180 || lng > 180 || Double.isNaN(lat) || Double.isNaN(lng)) {
                throw new IllegalArgumentException("latitude/longitude out of range: " + lat + ", " + lng);
            }
            if (fileSize < 0) {
                throw new IllegalArgumentException("fileSize must not be negative: " + fileSize);
            }
        }
    }

    /**
     * @param health the current health records (any order; at most one per edge); a catalogued edge
     *               without one is unprobed, a record of an edge outside the catalogue is ignored
     */
    public static Result choose(Collection<EdgeHealth> health, Request request) {
        record Candidate(EdgeLocation location, double score, boolean unprobed, double distanceKm, double throughput) {
        }
        Map<String, EdgeHealth> byId = new HashMap<>();
        health.forEach(edge -> byId.put(edge.getEdgeId(), edge));
        List<Candidate> candidates = new ArrayList<>();
        for (EdgeLocation location : EdgeCatalog.EDGES) {
            EdgeHealth edge = byId.get(location.edgeId());
            if (edge != null && !isRecommendable(edge)) {
                continue;
            }
            double score = edge == null ? UNPROBED_PRIOR_SCORE : edge.getScore();
            double distance = distanceKm(request.lat(), request.lng(), location.lat(), location.lng());
            double throughput = expectedThroughputMbps(bandwidthMbps(edge), score, distance);
            if (throughput > 0) {
                candidates.add(new Candidate(location, score, isUnprobed(edge), distance, throughput));
            }
        }
        candidates.sort(Comparator.comparingDouble(Candidate::throughput).reversed()
                .thenComparing(c -> c.location().edgeId()));
        List<Candidate> top = candidates.subList(0, Math.min(MAX_EDGES, candidates.size()));

        EdgeLocation direct = EdgeCatalog.DIRECT_STORAGE;
        double directDistance = distanceKm(request.lat(), request.lng(), direct.lat(), direct.lng());
        if (top.isEmpty()) {
            var fallback = new WeightedEdge(direct.edgeId(), direct.region(), direct.uploadUrl(), 1.0, directDistance,
                    ASSUMED_BANDWIDTH_MBPS / (1 + directDistance / 1000), 0.0, false);
            return new Result(List.of(fallback), true);
        }
        double sum = top.stream().mapToDouble(Candidate::throughput).sum();
        List<WeightedEdge> edges = new ArrayList<>();
        double assigned = 0;
        for (int i = 0; i < top.size(); i++) {
            Candidate c = top.get(i);
            // The last edge takes the rounding remainder, so edges sum to exactly EDGE_SHARE.
            double weight = i == top.size() - 1 ? round(EDGE_SHARE - assigned) : round(EDGE_SHARE * c.throughput() / sum);
            assigned += weight;
            edges.add(new WeightedEdge(c.location().edgeId(), c.location().region(), c.location().uploadUrl(), weight,
                    round(c.distanceKm()), round(c.throughput()), c.score(), c.unprobed()));
        }
        edges.add(new WeightedEdge(direct.edgeId(), direct.region(), direct.uploadUrl(), FALLBACK_SHARE,
                round(directDistance), round(ASSUMED_BANDWIDTH_MBPS / (1 + directDistance / 1000)), 0.0, false));
        return new Result(List.copyOf(edges), false);
    }

    public static double expectedThroughputMbps(double bandwidthMbps, double score, double distanceKm) {
        return bandwidthMbps * Math.max(0, Math.min(1, score)) / (1 + distanceKm / 1000);
    }

    /** Great-circle distance by the haversine formula, in kilometres. */
    public static double distanceKm(double lat1, double lng1, double lat2, double lng2) {
        double dLat = Math.toRadians(lat2 - lat1);
        double dLng = Math.toRadians(lng2 - lng1);
        double a = Math.sin(dLat / 2) * Math.sin(dLat / 2)
                + Math.cos(Math.toRadians(lat1)) * Math.cos(Math.toRadians(lat2)) * Math.sin(dLng / 2) * Math.sin(dLng / 2);
        return 2 * EARTH_RADIUS_KM * Math.asin(Math.min(1, Math.sqrt(a)));
    }

    private static double round(double value) {
        return Math.round(value * 10_000d) / 10_000d;
    }
}
