package io.jettyspeed.sink.edges;

import io.jettyspeed.schemas.EdgeHealth;
import io.jettyspeed.schemas.Topics;
import io.jettyspeed.schemas.edges.EdgeCatalog;
import io.jettyspeed.sink.Columns;
import io.jettyspeed.sink.TableWriter;
import org.springframework.stereotype.Component;

/** Latest health of each edge into {@code edge_health}. */
@Component
public final class EdgeHealthWriter extends TableWriter<EdgeHealth> {

    private static final Columns<EdgeHealth> COLUMNS = new Columns<EdgeHealth>()
            .text("edge_id", EdgeHealth::getEdgeId)
            .text("state", h -> h.getState().name())
            .float8("score", EdgeHealth::getScore)
            .float8("latency_ms", EdgeHealth::getLatencyMs)
            .float8("bandwidth_mbps", EdgeHealth::getBandwidthMbps)
            .float8("load", EdgeHealth::getLoad)
            .float8("error_rate", EdgeHealth::getErrorRate)
            .int4("consecutive_failures", EdgeHealth::getConsecutiveFailures)
            .int4("times_ejected", EdgeHealth::getTimesEjected)
            .timestamptz("ejected_until", EdgeHealth::getEjectedUntil)
            .timestamptz("last_sample_at", EdgeHealth::getLastSampleTime)
            .textArray("reasons", EdgeHealth::getReasons)
            .timestamptz("updated_at", EdgeHealth::getUpdatedAt);

    public EdgeHealthWriter(Topics topics) {
        super(topics.edgeHealth(), COLUMNS, Write.replaceByKey("edge_health", "edge_id"));
    }

    @Override
    public void check(EdgeHealth health) {
        if (!EdgeCatalog.isKnownEdge(health.getEdgeId())) {
            throw new InvariantViolation("unknown edge " + health.getEdgeId());
        }
        if (!(health.getScore() >= 0 && health.getScore() <= 1)) {
            throw new InvariantViolation("score " + health.getScore() + " outside [0, 1] for " + health.getEdgeId());
        }
    }
}
