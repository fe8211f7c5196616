package io.jettyspeed.sink.edges;

import io.jettyspeed.schemas.EdgeMetricSample;
import io.jettyspeed.schemas.Topic;
import io.jettyspeed.schemas.Topics;
import io.jettyspeed.schemas.edges.EdgeCatalog;
import io.jettyspeed.sink.Sql;
import io.jettyspeed.sink.TableWriter;
import java.util.List;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * Probe samples into {@code edge_samples} and their sums into {@code edge_minute_rollups}, in one
 * statement: only samples newly inserted (a new event id) are added to the rollups, so a replay or
 * a client's retry never counts a sample twice.
 */
@Component
public final class EdgeSampleWriter implements TableWriter<EdgeMetricSample> {

    private static final String INSERT_AND_ROLL_UP = """
            WITH input AS (
                SELECT * FROM unnest(?::text[], ?::text[], ?::bigint[], ?::float8[], ?::float8[], ?::float8[], ?::float8[])
                    AS t(event_id, edge_id, sample_ms, latency_ms, bandwidth_mbps, load, error_rate)
            ), inserted AS (
                INSERT INTO edge_samples (event_id, edge_id, sample_time, latency_ms, bandwidth_mbps, load, error_rate)
                SELECT event_id, edge_id, to_timestamp(sample_ms / 1000.0), latency_ms, bandwidth_mbps, load, error_rate
                FROM input
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

    private final Topic<String, EdgeMetricSample> topic;

    public EdgeSampleWriter(Topics topics) {
        this.topic = topics.edgeMetrics();
    }

    @Override
    public Topic<String, EdgeMetricSample> topic() {
        return topic;
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

    @Override
    public void write(JdbcTemplate jdbc, List<EdgeMetricSample> values) {
        List<EdgeMetricSample> samples = Sql.firstPerKey(values, EdgeMetricSample::getEventId);
        int n = samples.size();
        String[] eventIds = new String[n];
        String[] edgeIds = new String[n];
        Long[] times = new Long[n];
        Double[] latency = new Double[n];
        Double[] bandwidth = new Double[n];
        Double[] load = new Double[n];
        Double[] errors = new Double[n];
        for (int i = 0; i < n; i++) {
            EdgeMetricSample s = samples.get(i);
            eventIds[i] = s.getEventId();
            edgeIds[i] = s.getEdgeId();
            times[i] = s.getEventTime().toEpochMilli();
            latency[i] = s.getLatencyMs();
            bandwidth[i] = s.getBandwidthMbps();
            load[i] = s.getLoad();
            errors[i] = s.getErrorRate();
        }
        jdbc.update(INSERT_AND_ROLL_UP, eventIds, edgeIds, times, latency, bandwidth, load, errors);
    }
}
