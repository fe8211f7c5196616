package io.jettyspeed.processors.edges;

import io.jettyspeed.processors.skeleton.InputEvent;
import io.jettyspeed.schemas.ChunkEvent;
import io.jettyspeed.schemas.EdgeMetricSample;

/** What edge health accepts: a probe sample, or the outcome of a chunk an upload sent through the edge. */
sealed interface EdgeObservation extends InputEvent {

    String edgeId();

    record Probe(EdgeMetricSample value, String eventId, long eventTime) implements EdgeObservation {
        static Probe of(EdgeMetricSample sample) {
            return new Probe(sample, "probe:" + sample.getEventId(), sample.getEventTime().toEpochMilli());
        }

        @Override
        public String edgeId() {
            return value.getEdgeId();
        }
    }

    record ChunkOutcome(ChunkEvent value, String eventId, long eventTime) implements EdgeObservation {
        static ChunkOutcome of(ChunkEvent chunk) {
            return new ChunkOutcome(chunk, "chunk:" + chunk.getEventId(), chunk.getEventTime().toEpochMilli());
        }

        @Override
        public String edgeId() {
            return value.getEdgeId();
        }
    }
}
