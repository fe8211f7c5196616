package io.jettyspeed.sink.edges;

import io.jettyspeed.schemas.ChunkEvent;
import io.jettyspeed.schemas.ChunkStatus;
import io.jettyspeed.schemas.Topic;
import io.jettyspeed.schemas.Topics;
import io.jettyspeed.schemas.edges.EdgeCatalog;
import io.jettyspeed.sink.Sql;
import io.jettyspeed.sink.TableWriter;
import java.util.List;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * Completed and failed chunks into {@code chunk_outcomes}, and per-edge success/failure counts into
 * {@code edge_minute_rollups} — what real uploads observed, next to what the probes report. Like
 * the samples, only newly inserted event ids are counted.
 */
@Component
public final class ChunkOutcomeWriter implements TableWriter<ChunkEvent> {

    private static final String INSERT_AND_ROLL_UP = """
            WITH input AS (
                SELECT * FROM unnest(?::text[], ?::text[], ?::int[], ?::text[], ?::text[], ?::bigint[], ?::bigint[], ?::bigint[])
                    AS t(event_id, session_id, chunk_index, status, edge_id, chunk_bytes, duration_ms, event_ms)
            ), inserted AS (
                INSERT INTO chunk_outcomes (event_id, session_id, chunk_index, status, edge_id, chunk_bytes, duration_ms,
                    event_time)
                SELECT event_id, session_id, chunk_index, status, edge_id, chunk_bytes, duration_ms,
                       to_timestamp(event_ms / 1000.0)
                FROM input
                ON CONFLICT (event_id) DO NOTHING
                RETURNING edge_id, status, chunk_bytes, duration_ms, event_time
            )
            INSERT INTO edge_minute_rollups (edge_id, minute, chunk_successes, chunk_failures, chunk_bytes,
                chunk_duration_ms)
            SELECT edge_id, date_trunc('minute', event_time),
                   count(*) FILTER (WHERE status = 'COMPLETED'),
                   count(*) FILTER (WHERE status = 'FAILED'),
                   coalesce(sum(chunk_bytes) FILTER (WHERE status = 'COMPLETED'), 0),
                   coalesce(sum(duration_ms) FILTER (WHERE status = 'COMPLETED' AND chunk_bytes IS NOT NULL), 0)
            FROM inserted
            WHERE edge_id IS NOT NULL
            GROUP BY 1, 2
            ON CONFLICT (edge_id, minute) DO UPDATE SET
                chunk_successes = edge_minute_rollups.chunk_successes + excluded.chunk_successes,
                chunk_failures = edge_minute_rollups.chunk_failures + excluded.chunk_failures,
                chunk_bytes = edge_minute_rollups.chunk_bytes + excluded.chunk_bytes,
                chunk_duration_ms = edge_minute_rollups.chunk_duration_ms + excluded.chunk_duration_ms
            """;

    private final Topic<String, ChunkEvent> topic;

    public ChunkOutcomeWriter(Topics topics) {
        this.topic = topics.chunkEvents();
    }

    @Override
    public Topic<String, ChunkEvent> topic() {
        return topic;
    }

    @Override
    public void check(ChunkEvent chunk) {
        if (chunk.getChunkIndex() < 0) {
            throw new InvariantViolation("negative chunk index in " + chunk.getEventId());
        }
        if (chunk.getEdgeId() != null && !EdgeCatalog.isKnownEdge(chunk.getEdgeId())
                && !EdgeCatalog.DIRECT_STORAGE_ID.equals(chunk.getEdgeId())) {
            throw new InvariantViolation("unknown edge " + chunk.getEdgeId());
        }
        if ((chunk.getChunkBytes() != null && chunk.getChunkBytes() < 0)
                || (chunk.getDurationMs() != null && chunk.getDurationMs() < 0)) {
            throw new InvariantViolation("negative size or duration in " + chunk.getEventId());
        }
    }

    @Override
    public void write(JdbcTemplate jdbc, List<ChunkEvent> values) {
        List<ChunkEvent> outcomes = Sql.firstPerKey(values.stream()
                .filter(c -> c.getStatus() == ChunkStatus.COMPLETED || c.getStatus() == ChunkStatus.FAILED)
                .toList(), ChunkEvent::getEventId);
        if (outcomes.isEmpty()) {
            return;
        }
        int n = outcomes.size();
        String[] eventIds = new String[n];
        String[] sessionIds = new String[n];
        Integer[] indexes = new Integer[n];
        String[] statuses = new String[n];
        String[] edgeIds = new String[n];
        Long[] bytes = new Long[n];
        Long[] durations = new Long[n];
        Long[] times = new Long[n];
        for (int i = 0; i < n; i++) {
            ChunkEvent c = outcomes.get(i);
            eventIds[i] = c.getEventId();
            sessionIds[i] = c.getSessionId();
            indexes[i] = c.getChunkIndex();
            statuses[i] = c.getStatus().name();
            edgeIds[i] = c.getEdgeId();
            bytes[i] = c.getChunkBytes();
            durations[i] = c.getDurationMs();
            times[i] = c.getEventTime().toEpochMilli();
        }
        jdbc.update(INSERT_AND_ROLL_UP, eventIds, sessionIds, indexes, statuses, edgeIds, bytes, durations, times);
    }
}
