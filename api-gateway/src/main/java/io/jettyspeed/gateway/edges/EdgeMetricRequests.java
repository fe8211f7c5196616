package io.jettyspeed.gateway.edges;

import io.jettyspeed.gateway.validation.EventMeta;
import io.jettyspeed.gateway.validation.FieldReader;
import io.jettyspeed.gateway.validation.Limits;
import io.jettyspeed.schemas.EdgeMetricSample;
import io.jettyspeed.schemas.EventLimits;
import io.jettyspeed.schemas.edges.EdgeCatalog;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

/** Reads one edge metric sample (of edge-metrics or a batch); null when it had any problem. */
public final class EdgeMetricRequests {

    private EdgeMetricRequests() {
    }

    public static EdgeMetricSample sample(FieldReader r) {
        int errorsBefore = r.checks().errorCount();
        String eventId = EventMeta.eventId(r);
        Instant eventTime = EventMeta.eventTime(r);
        String edgeId = r.string("edgeId", 64, true);
        if (edgeId != null && !EdgeCatalog.isKnownEdge(edgeId)) {
            r.invalid("edgeId", "must be a known edge id (edge-sfo, edge-fra, ...)");
        }
        Double latencyMs = r.number("latencyMs", 0, EventLimits.MAX_LATENCY_MS, true);
        Double bandwidthMbps = r.number("bandwidthMbps", 0, EventLimits.MAX_BANDWIDTH_MBPS, true);
        Double load = r.number("load", 0, 1, true);
        Double errorRate = r.number("errorRate", 0, 1, true);
        Long activeConnections = r.integer("activeConnections", 0, Limits.MAX_ACTIVE_CONNECTIONS, false);
        if (r.checks().errorCount() > errorsBefore) {
            return null;
        }
        return EdgeMetricSample.newBuilder()
                .setEventId(eventId)
                .setEventTime(eventTime)
                .setReceivedAt(r.checks().now().truncatedTo(ChronoUnit.MILLIS))
                .setEdgeId(edgeId)
                .setLatencyMs(latencyMs)
                .setBandwidthMbps(bandwidthMbps)
                .setLoad(load)
                .setErrorRate(errorRate)
                .setActiveConnections(activeConnections == null ? null : activeConnections.intValue())
                .build();
    }
}
