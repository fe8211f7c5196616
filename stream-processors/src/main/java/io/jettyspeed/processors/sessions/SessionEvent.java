package io.jettyspeed.processors.sessions;

import io.jettyspeed.processors.skeleton.InputEvent;
import io.jettyspeed.schemas.ChunkEvent;
import io.jettyspeed.schemas.UploadEvent;

/** What upload sessions accepts: an upload event (start, progress, complete, fail) or a chunk event. */
sealed interface SessionEvent extends InputEvent {

    /** The user the event claims the session for (null: a chunk that names none). */
    String claimedUserId();

    record Upload(UploadEvent value, String eventId, long eventTime) implements SessionEvent {
        static Upload of(UploadEvent event) {
            return new Upload(event, "upload:" + event.getEventId(), event.getEventTime().toEpochMilli());
        }

        @Override
        public String claimedUserId() {
            return value.getUserId();
        }
    }

    record Chunk(ChunkEvent value, String eventId, long eventTime) implements SessionEvent {
        static Chunk of(ChunkEvent event) {
            return new Chunk(event, "chunk:" + event.getEventId(), event.getEventTime().toEpochMilli());
        }

        @Override
        public String claimedUserId() {
            return value.getUserId();
        }
    }
}
