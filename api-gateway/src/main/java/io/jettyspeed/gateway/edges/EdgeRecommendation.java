package io.jettyspeed.gateway.edges;

import java.util.List;

/**
 * Where to upload: weighted edges (the direct-storage fallback included) and whether the answer is
 * degraded, with the reason.
 */
public record EdgeRecommendation(List<WeightedEdge> edges, boolean degraded, String reason) {

    public EdgeRecommendation {
        edges = List.copyOf(edges);
    }

    /**
     * @param edgeId edge id, or the direct-storage id
     * @param weight share of chunks to send there
     * @param uploadUrl where to send them
     * @param healthScore health in [0, 1], null when unknown; for an unprobed edge the prior, or the prior
     *                    lowered by its chunk outcomes
     * @param unprobed no probe has reported this edge yet: recommended at a prior, ejected by chunk outcomes
     *                 like any other edge (false for the direct-storage fallback)
     * @param distanceKm great-circle distance from the client, null when not computed
     */
    public record WeightedEdge(String edgeId, double weight, String city, String region, String uploadUrl,
            Double healthScore, boolean unprobed, Double distanceKm) {
    }
}
