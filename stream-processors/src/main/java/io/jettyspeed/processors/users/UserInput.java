package io.jettyspeed.processors.users;

import io.jettyspeed.processors.skeleton.InputEvent;
import io.jettyspeed.schemas.DedupClone;
import io.jettyspeed.schemas.UploadSession;

/** What user stats accepts, keyed by userId: a version of one of the user's sessions, or a clone fact. */
sealed interface UserInput extends InputEvent {

    /**
     * Not deduplicated: a version is applied as the difference to the version counted before, so a
     * repeated one changes nothing. Its time is when the session last changed.
     */
    record SessionVersion(UploadSession value, String eventId, long eventTime) implements UserInput {
        SessionVersion(UploadSession session) {
            this(session, "session:" + session.getSessionId(), session.getUpdatedAt().toEpochMilli());
        }
    }

    /** Deduplicated by the clone's own event id ({@code check:…}, {@code upload:…}). */
    record Clone(DedupClone value, String eventId, long eventTime) implements UserInput {
        Clone(DedupClone clone) {
            this(clone, clone.getEventId(), clone.getClonedAt().toEpochMilli());
        }
    }
}
