package io.jettyspeed.processors.sessions;

import io.jettyspeed.processors.skeleton.InputEvent;
import io.jettyspeed.schemas.ChunkEvent;
import io.jettyspeed.schemas.UploadEvent;

/**
 * What upload sessions accepts, keyed by sessionId: an upload event (start, progress, complete,
 * fail) or a chunk event. Each names the user it claims the session for ({@code claimedUserId};
 * a chunk may name none).
 */
sealed interface SessionEvent extends InputEvent {

    String claimedUserId();

    record Upload(UploadEvent value, String eventId, long eventTime, String claimedUserId) implements SessionEvent {
        Upload(UploadEvent event) {
            this(event, "upload:" + event.getEventId(), event.getEventTime().toEpochMilli(), event.getUserId());
        }
    }

    record Chunk(ChunkEvent value, String eventId, long eventTime, String claimedUserId) implements SessionEvent {
        Chunk(ChunkEvent event) {
            this(event, "chunk:" + event.getEventId(), event.getEventTime().toEpochMilli(), event.getUserId());
        }
    }
}
