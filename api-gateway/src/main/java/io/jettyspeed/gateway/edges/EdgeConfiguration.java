package io.jettyspeed.gateway.edges;

import io.jettyspeed.gateway.state.AggregateViews;
import io.jettyspeed.schemas.edges.EdgeCatalog;
import io.jettyspeed.schemas.edges.EdgeLocation;
import java.util.List;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Edge recommendations: {@link EdgeChoice} over the gateway's local copy of {@code jetty.edge-health.v1}. */
@Configuration(proxyBeanMethods = false)
class EdgeConfiguration {

    @Bean
    EdgeChooser edgeChooser(AggregateViews views) {
        return (lat, lng, fileSize) -> {
            if (!views.isCaughtUp()) {
                return fallbackOnly("edge health is still loading");
            }
            EdgeChoice.Result result = EdgeChoice.choose(views.edgeHealth().values(),
                    new EdgeChoice.Request(lat, lng, fileSize));
            var edges = result.edges().stream().map(edge -> {
                EdgeLocation location = EdgeCatalog.find(edge.edgeId()).orElse(EdgeCatalog.DIRECT_STORAGE);
                boolean direct = EdgeCatalog.DIRECT_STORAGE_ID.equals(edge.edgeId());
                return new EdgeRecommendation.WeightedEdge(edge.edgeId(), edge.weight(), location.city(),
                        location.region(), location.uploadUrl(), direct ? null : edge.healthScore(),
                        edge.unprobed(), direct ? null : edge.distanceKm());
            }).toList();
            return new EdgeRecommendation(edges, result.degraded(),
                    result.degraded() ? "no healthy edge: upload directly to storage" : null);
        };
    }

    private static EdgeRecommendation fallbackOnly(String reason) {
        EdgeLocation direct = EdgeCatalog.DIRECT_STORAGE;
        return new EdgeRecommendation(List.of(new EdgeRecommendation.WeightedEdge(direct.edgeId(), 1.0,
                direct.city(), direct.region(), direct.uploadUrl(), null, false, null)), true, reason);
    }
}
