package io.jettyspeed.schemas.edges;

import io.jettyspeed.schemas.EdgeHealth;
import io.jettyspeed.schemas.EdgeState;

/**
 * What an {@link EdgeHealth} record means, shared by the processors that compute it (edge-health
 * topology) and the gateway that chooses edges from it ({@code io.jettyspeed.gateway.edges.EdgeChoice}):
 * the prior of an edge no probe has reported, the bandwidth assumed until one is measured, and which
 * records may be recommended.
 */
public final class EdgeHealthRules {

    /**
     * Bandwidth assumed for an edge, or an uplink, whose bandwidth was never observed: 100 Mbit/s. Also
     * what the dedup index assumes to estimate the upload time a clone saves.
     */
    public static final double ASSUMED_BANDWIDTH_MBPS = 100.0;
    /** {@link #ASSUMED_BANDWIDTH_MBPS} in bytes per second (12.5 MB/s). */
    public static final double ASSUMED_BANDWIDTH_BYTES_PER_SECOND = ASSUMED_BANDWIDTH_MBPS * 1_000_000 / 8;
    /**
     * Score of an edge no probe has reported: halfway, below the HEALTHY threshold (0.7), so only a
     * probe can make an edge healthy. The edge-health topology scales an unprobed edge's score by it.
     */
    public static final double UNPROBED_PRIOR_SCORE = 0.5;

    private EdgeHealthRules() {
    }

    /**
     * Whether a record may be recommended: HEALTHY or DEGRADED with a positive score. STALE and
     * EJECTED edges never are. (A catalogued edge without a record is unprobed and eligible.)
     */
    public static boolean isRecommendable(EdgeHealth edge) {
        return (edge.getState() == EdgeState.HEALTHY || edge.getState() == EdgeState.DEGRADED) && edge.getScore() > 0;
    }

    /** No probe has reported this edge: no record yet, or only chunk outcomes. */
    public static boolean isUnprobed(EdgeHealth edge) {
        return edge == null || edge.getProbeSamples() == 0;
    }

    /** The edge's decayed bandwidth, or {@value #ASSUMED_BANDWIDTH_MBPS} Mbps while none was observed. */
    public static double bandwidthMbps(EdgeHealth edge) {
        return edge == null || edge.getBandwidthMbps() == null || edge.getBandwidthMbps() <= 0
                ? ASSUMED_BANDWIDTH_MBPS : edge.getBandwidthMbps();
    }
}
