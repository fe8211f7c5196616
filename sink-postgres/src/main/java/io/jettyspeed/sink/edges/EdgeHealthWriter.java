package io.jettyspeed.sink.edges;

import io.jettyspeed.schemas.EdgeHealth;
import io.jettyspeed.schemas.Topic;
import io.jettyspeed.schemas.Topics;
import io.jettyspeed.schemas.edges.EdgeCatalog;
import io.jettyspeed.sink.Sql;
import io.jettyspeed.sink.TableWriter;
import java.util.List;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/** Latest health of each edge into {@code edge_health}. */
@Component
public final class EdgeHealthWriter implements TableWriter<EdgeHealth> {

    private static final String UPSERT = """
            INSERT INTO edge_health (edge_id, state, score, latency_ms, bandwidth_mbps, load, error_rate,
                consecutive_failures, times_ejected, ejected_until, last_sample_at, reasons, updated_at)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            ON CONFLICT (edge_id) DO UPDATE SET
                state = excluded.state, score = excluded.score, latency_ms = excluded.latency_ms,
                bandwidth_mbps = excluded.bandwidth_mbps, load = excluded.load, error_rate = excluded.error_rate,
                consecutive_failures = excluded.consecutive_failures, times_ejected = excluded.times_ejected,
                ejected_until = excluded.ejected_until, last_sample_at = excluded.last_sample_at,
                reasons = excluded.reasons, updated_at = excluded.updated_at
            """;

    private final Topic<String, EdgeHealth> topic;

    public EdgeHealthWriter(Topics topics) {
        this.topic = topics.edgeHealth();
    }

    @Override
    public Topic<String, EdgeHealth> topic() {
        return topic;
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

    @Override
    public void write(JdbcTemplate jdbc, List<EdgeHealth> values) {
        List<Object[]> rows = Sql.latestPerKey(values, EdgeHealth::getEdgeId).stream()
                .map(h -> new Object[] {h.getEdgeId(), h.getState().name(), h.getScore(), h.getLatencyMs(),
                        h.getBandwidthMbps(), h.getLoad(), h.getErrorRate(), h.getConsecutiveFailures(),
                        h.getTimesEjected(), Sql.timestamp(h.getEjectedUntil()), Sql.timestamp(h.getLastSampleTime()),
                        Sql.textArray(h.getReasons()), Sql.timestamp(h.getUpdatedAt())})
                .toList();
        jdbc.batchUpdate(UPSERT, rows);
    }
}
