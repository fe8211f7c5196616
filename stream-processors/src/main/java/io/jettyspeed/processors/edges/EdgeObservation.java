package io.jettyspeed.processors.edges;

import io.jettyspeed.processors.skeleton.InputEvent;
import io.jettyspeed.schemas.ChunkEvent;
import io.jettyspeed.schemas.EdgeMetricSample;

/**
 * What edge health accepts, keyed by edgeId: a probe sample, or the outcome of a chunk an upload
 * sent through the edge. Probes and chunks have separate event-id spaces, hence the prefixes.
 */
sealed interface EdgeObservation extends InputEvent {

    record Probe(EdgeMetricSample value, String eventId, long eventTime) implements EdgeObservation {
        Probe(EdgeMetricSample sample) {
            this(sample, "probe:" + sample.getEventId(), sample.getEventTime().toEpochMilli());
        }
    }

    record ChunkOutcome(ChunkEvent value, String eventId, long eventTime) implements EdgeObservation {
        ChunkOutcome(ChunkEvent chunk) {
            this(chunk, "chunk:" + chunk.getEventId(), chunk.getEventTime().toEpochMilli());
        }
    }
}
