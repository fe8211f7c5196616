package io.jettyspeed.processors.dedup;

import io.jettyspeed.processors.skeleton.InputEvent;
import io.jettyspeed.schemas.DedupCheck;
import io.jettyspeed.schemas.UploadSession;

/** What the dedup index accepts, keyed by fileHash: a completed upload session or a dedup check. */
sealed interface DedupInput extends InputEvent {

    /**
     * A completed session is re-published when a late chunk or event touches it; its session id is
     * its event id, so it counts once. Its time is when it completed.
     */
    record Completion(UploadSession value, String eventId, long eventTime) implements DedupInput {
        Completion(UploadSession session) {
            this(session, "session:" + session.getSessionId(),
                    (session.getCompletedAt() != null ? session.getCompletedAt() : session.getUpdatedAt()).toEpochMilli());
        }
    }

    record Check(DedupCheck value, String eventId, long eventTime) implements DedupInput {
        Check(DedupCheck check) {
            this(check, "check:" + check.getEventId(), check.getEventTime().toEpochMilli());
        }
    }
}
