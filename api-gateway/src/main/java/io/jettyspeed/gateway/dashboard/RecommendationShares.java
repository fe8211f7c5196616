package io.jettyspeed.gateway.dashboard;

import io.jettyspeed.gateway.edges.EdgeChoice;
import io.jettyspeed.schemas.EdgeHealth;
import io.jettyspeed.schemas.edges.EdgeCatalog;
import io.jettyspeed.schemas.edges.EdgeLocation;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * How much of the traffic each edge would be given right now, by the same {@link EdgeChoice} that
 * answers {@code optimal-edges}, averaged over one client in each edge's city. An edge that goes
 * bad visibly loses its share and regains it when it recovers; the shares of all edges plus the
 * direct-to-storage fallback sum to 1.
 */
final class RecommendationShares {

    static final long SAMPLE_FILE_SIZE = 100L * 1024 * 1024;

    private RecommendationShares() {
    }

    static Map<String, Double> of(Collection<EdgeHealth> health) {
        Map<String, Double> shares = new LinkedHashMap<>();
        EdgeCatalog.EDGES.forEach(edge -> shares.put(edge.edgeId(), 0.0));
        shares.put(EdgeCatalog.DIRECT_STORAGE_ID, 0.0);
        int clients = EdgeCatalog.EDGES.size();
        for (EdgeLocation client : EdgeCatalog.EDGES) {
            EdgeChoice.Result result = EdgeChoice.choose(health,
                    new EdgeChoice.Request(client.lat(), client.lng(), SAMPLE_FILE_SIZE));
            for (EdgeChoice.WeightedEdge edge : result.edges()) {
                shares.merge(edge.edgeId(), edge.weight() / clients, Double::sum);
            }
        }
        shares.replaceAll((id, share) -> Math.round(share * 10_000d) / 10_000d);
        return shares;
    }
}
