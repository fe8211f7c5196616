package io.jettyspeed.gateway.edges;

import io.jettyspeed.schemas.edges.EdgeCatalog;
import io.jettyspeed.schemas.edges.EdgeLocation;
import java.util.List;

/**
 * Stand-in until edge health exists: no ranking is invented, the answer is the direct-to-storage
 * fallback alone, marked degraded.
 */
public final class UnavailableEdgeChooser implements EdgeChooser {

    static final String REASON = "Edge health is not available yet; upload directly to storage.";

    @Override
    public EdgeRecommendation choose(double lat, double lng, long fileSize) {
        EdgeLocation direct = EdgeCatalog.DIRECT_STORAGE;
        return new EdgeRecommendation(List.of(new EdgeRecommendation.WeightedEdge(direct.edgeId(), 1.0, direct.city(),
                direct.region(), direct.uploadUrl(), null, false, null)), true, REASON);
    }
}
