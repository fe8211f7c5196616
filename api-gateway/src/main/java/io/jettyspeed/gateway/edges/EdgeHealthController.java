package io.jettyspeed.gateway.edges;

import io.jettyspeed.gateway.security.Caller;
import io.jettyspeed.gateway.state.AggregateViews;
import io.jettyspeed.gateway.state.RecordAnswer;
import io.jettyspeed.schemas.EdgeHealth;
import io.jettyspeed.schemas.EdgeState;
import io.jettyspeed.schemas.edges.EdgeCatalog;
import io.jettyspeed.schemas.edges.EdgeHealthRules;
import io.jettyspeed.schemas.edges.EdgeLocation;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestAttribute;
import org.springframework.web.bind.annotation.RestController;

/**
 * Current health of every edge, for dashboards; any authenticated key may read it. Every catalogued
 * edge is listed: one no probe has reported yet is {@code "state": "unprobed"} (with
 * {@code "unprobed": true} and the score edge choice gives it) unless chunk outcomes ejected it.
 */
@RestController
public class EdgeHealthController {

    static final String NO_RECORD_REASON = String.format(Locale.ROOT,
            "no probe has reported yet: recommended at the prior score %.1f and %.0f Mbps",
            EdgeHealthRules.UNPROBED_PRIOR_SCORE, EdgeHealthRules.ASSUMED_BANDWIDTH_MBPS);

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

    /**
     * The state clients see: the record's, except that an edge no probe has reported and that is
     * neither ejected nor stale is {@code unprobed} (the topology keeps it DEGRADED: never healthy
     * before a probe vouches for it).
     */
    public static String stateOf(EdgeHealth health) {
        if (EdgeHealthRules.isUnprobed(health)
                && (health == null || health.getState() == EdgeState.HEALTHY || health.getState() == EdgeState.DEGRADED)) {
            return "unprobed";
        }
        return health.getState().name().toLowerCase(Locale.ROOT);
    }

    public static Map<String, Object> describe(EdgeLocation location, EdgeHealth health) {
        Map<String, Object> edge = new LinkedHashMap<>();
        edge.put("edgeId", location.edgeId());
        edge.put("city", location.city());
        edge.put("region", location.region());
        edge.put("lat", location.lat());
        edge.put("lng", location.lng());
        edge.put("uploadUrl", location.uploadUrl());
        edge.put("state", stateOf(health));
        edge.put("unprobed", EdgeHealthRules.isUnprobed(health));
        if (health == null) {
            edge.put("score", EdgeHealthRules.UNPROBED_PRIOR_SCORE);
            edge.put("reasons", List.of(NO_RECORD_REASON));
            return edge;
        }
        edge.putAll(RecordAnswer.of(health).copy("score", "latencyMs", "bandwidthMbps", "load", "errorRate",
                "consecutiveFailures", "timesEjected", "ejectedUntil", "lastSampleTime", "updatedAt", "reasons").body());
        return edge;
    }
}
