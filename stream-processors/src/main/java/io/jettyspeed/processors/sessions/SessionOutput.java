package io.jettyspeed.processors.sessions;

import io.jettyspeed.schemas.DeadLetter;
import io.jettyspeed.schemas.UploadSession;

/** What upload sessions emits: a session (or its tombstone), or the dead letter of an event it refused. */
sealed interface SessionOutput {

    /** @param session the session as it is now; null is the tombstone of a session whose retention is over */
    record Update(UploadSession session) implements SessionOutput {
    }

    record Rejected(DeadLetter letter) implements SessionOutput {
    }
}
