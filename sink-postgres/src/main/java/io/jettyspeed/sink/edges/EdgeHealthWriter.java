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

    private static final Columns<EdgeHealth> COLUMNS = Columns.fields(EdgeHealth.getClassSchema(),
            "edge_id", "state", "score", "latency_ms", "bandwidth_mbps", "load", "error_rate", "consecutive_failures",
            "times_ejected", "ejected_until", "last_sample_at=lastSampleTime", "reasons", "updated_at");

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
