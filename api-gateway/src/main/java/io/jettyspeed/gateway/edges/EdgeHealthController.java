package io.jettyspeed.gateway.edges;

import io.jettyspeed.gateway.security.Caller;
import io.jettyspeed.gateway.state.AggregateViews;
import io.jettyspeed.schemas.EdgeHealth;
import io.jettyspeed.schemas.edges.EdgeCatalog;
import io.jettyspeed.schemas.edges.EdgeLocation;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestAttribute;
import org.springframework.web.bind.annotation.RestController;

/** Current health of every edge, for dashboards; any authenticated key may read it. */
@RestController
public class EdgeHealthController {

    private final AggregateViews views;

    public EdgeHealthController(AggregateViews views) {
        this.views = views;
    }

    @GetMapping("/api/jetty/edges")
    public Map<String, Object> edges(@RequestAttribute(Caller.ATTRIBUTE) Caller caller) {
        List<Map<String, Object>> edges = new ArrayList<>();
        for (EdgeLocation location : EdgeCatalog.EDGES) {
            edges.add(describe(location, views.edgeHealth().get(location.edgeId()).orElse(null)));
        }
        return Map.of("edges", edges, "caughtUp", views.isCaughtUp());
    }

    public static Map<String, Object> describe(EdgeLocation location, EdgeHealth health) {
        Map<String, Object> edge = new LinkedHashMap<>();
        edge.put("edgeId", location.edgeId());
        edge.put("city", location.city());
        edge.put("region", location.region());
        edge.put("lat", location.lat());
        edge.put("lng", location.lng());
        edge.put("uploadUrl", location.uploadUrl());
        if (health == null) {
            edge.put("state", "unknown");
            edge.put("score", null);
            edge.put("reasons", List.of("no sample received yet"));
            return edge;
        }
        edge.put("state", health.getState().name().toLowerCase(Locale.ROOT));
        edge.put("score", health.getScore());
        edge.put("latencyMs", health.getLatencyMs());
        edge.put("bandwidthMbps", health.getBandwidthMbps());
        edge.put("load", health.getLoad());
        edge.put("errorRate", health.getErrorRate());
        edge.put("consecutiveFailures", health.getConsecutiveFailures());
        edge.put("timesEjected", health.getTimesEjected());
        edge.put("ejectedUntil", health.getEjectedUntil());
        edge.put("lastSampleTime", health.getLastSampleTime());
        edge.put("updatedAt", health.getUpdatedAt());
        edge.put("reasons", health.getReasons());
        return edge;
    }
}
