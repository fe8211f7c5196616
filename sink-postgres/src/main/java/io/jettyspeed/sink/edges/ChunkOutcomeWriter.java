package io.jettyspeed.sink.edges;

import io.jettyspeed.schemas.ChunkEvent;
import io.jettyspeed.schemas.ChunkStatus;
import io.jettyspeed.schemas.Topics;
import io.jettyspeed.schemas.edges.EdgeCatalog;
import io.jettyspeed.sink.Columns;
import io.jettyspeed.sink.TableWriter;
import org.springframework.stereotype.Component;

/**
 * Completed and failed chunks into {@code chunk_outcomes}, and per-edge success/failure counts into
 * {@code edge_minute_rollups} — what real uploads observed, next to what the probes report. Like
 * the samples, only newly inserted event ids are counted.
 */
@Component
public final class ChunkOutcomeWriter extends TableWriter<ChunkEvent> {

    private static final Columns<ChunkEvent> COLUMNS = Columns.fields(ChunkEvent.getClassSchema(),
            "event_id", "session_id", "chunk_index", "status", "edge_id", "chunk_bytes", "duration_ms", "event_time");

    private static final String INSERT_AND_ROLL_UP = """
            WITH inserted AS (
                INSERT INTO chunk_outcomes ({columns})
                SELECT {columns} FROM {input} AS input
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

    public ChunkOutcomeWriter(Topics topics) {
        super(topics.chunkEvents(), COLUMNS, Write.insertOnce("event_id", INSERT_AND_ROLL_UP));
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

    /** Only outcomes: a chunk that started or is in flight is not an observation of the edge yet. */
    @Override
    protected boolean written(ChunkEvent chunk) {
        return chunk.getStatus() == ChunkStatus.COMPLETED || chunk.getStatus() == ChunkStatus.FAILED;
    }
}
