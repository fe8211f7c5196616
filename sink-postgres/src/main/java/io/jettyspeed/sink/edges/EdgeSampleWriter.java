package io.jettyspeed.sink.edges;

import io.jettyspeed.schemas.EdgeMetricSample;
import io.jettyspeed.schemas.Topics;
import io.jettyspeed.schemas.edges.EdgeCatalog;
import io.jettyspeed.sink.Columns;
import io.jettyspeed.sink.TableWriter;
import org.springframework.stereotype.Component;

/**
 * Probe samples into {@code edge_samples} and their sums into {@code edge_minute_rollups}, in one
 * statement: only samples newly inserted (a new event id) are added to the rollups, so a replay or
 * a client's retry never counts a sample twice.
 */
@Component
public final class EdgeSampleWriter extends TableWriter<EdgeMetricSample> {

    private static final Columns<EdgeMetricSample> COLUMNS = Columns.fields(EdgeMetricSample.getClassSchema(),
            "event_id", "edge_id", "sample_time=eventTime", "latency_ms", "bandwidth_mbps", "load", "error_rate");

    private static final String INSERT_AND_ROLL_UP = """
            WITH inserted AS (
                INSERT INTO edge_samples ({columns})
                SELECT {columns} FROM {input} AS input
                ON CONFLICT (event_id) DO NOTHING
                RETURNING edge_id, sample_time, latency_ms, bandwidth_mbps, load, error_rate
            )
            INSERT INTO edge_minute_rollups (edge_id, minute, probe_samples, latency_ms_sum, latency_ms_max,
                bandwidth_mbps_sum, load_sum, error_rate_sum)
            SELECT edge_id, date_trunc('minute', sample_time), count(*), sum(latency_ms::numeric), max(latency_ms),
                   sum(bandwidth_mbps::numeric), sum(load::numeric), sum(error_rate::numeric)
            FROM inserted
            GROUP BY 1, 2
            ON CONFLICT (edge_id, minute) DO UPDATE SET
                probe_samples = edge_minute_rollups.probe_samples + excluded.probe_samples,
                latency_ms_sum = edge_minute_rollups.latency_ms_sum + excluded.latency_ms_sum,
                latency_ms_max = greatest(edge_minute_rollups.latency_ms_max, excluded.latency_ms_max),
                bandwidth_mbps_sum = edge_minute_rollups.bandwidth_mbps_sum + excluded.bandwidth_mbps_sum,
                load_sum = edge_minute_rollups.load_sum + excluded.load_sum,
                error_rate_sum = edge_minute_rollups.error_rate_sum + excluded.error_rate_sum
            """;

    public EdgeSampleWriter(Topics topics) {
        super(topics.edgeMetrics(), COLUMNS, Write.insertOnce("event_id", INSERT_AND_ROLL_UP));
    }

    @Override
    public void check(EdgeMetricSample sample) {
        if (!EdgeCatalog.isKnownEdge(sample.getEdgeId())) {
            throw new InvariantViolation("unknown edge " + sample.getEdgeId());
        }
        if (!(sample.getLatencyMs() >= 0) || !(sample.getBandwidthMbps() >= 0)
                || !(sample.getLoad() >= 0 && sample.getLoad() <= 1)
                || !(sample.getErrorRate() >= 0 && sample.getErrorRate() <= 1)) {
            throw new InvariantViolation("sample " + sample.getEventId() + " out of range");
        }
    }
}
