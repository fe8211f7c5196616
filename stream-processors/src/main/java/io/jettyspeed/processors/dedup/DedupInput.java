package io.jettyspeed.processors.dedup;

import io.jettyspeed.processors.skeleton.InputEvent;
import io.jettyspeed.schemas.DedupCheck;
import io.jettyspeed.schemas.UploadSession;
import java.time.Instant;

/** What the dedup index accepts: a completed upload session (keyed by its hash) or a dedup check. */
sealed interface DedupInput extends InputEvent {

    /**
     * A completed session is re-published when a late chunk or event touches it; its session id is its
     * event id, so it counts once. Its time is when it completed.
     */
    record Completion(UploadSession value, String eventId, long eventTime) implements DedupInput {
        static Completion of(UploadSession session) {
            return new Completion(session, "session:" + session.getSessionId(), completedAt(session).toEpochMilli());
        }

        static Instant completedAt(UploadSession session) {
            return session.getCompletedAt() != null ? session.getCompletedAt() : session.getUpdatedAt();
        }
    }

    record Check(DedupCheck value, String eventId, long eventTime) implements DedupInput {
        static Check of(DedupCheck check) {
            return new Check(check, "check:" + check.getEventId(), check.getEventTime().toEpochMilli());
        }
    }
}
