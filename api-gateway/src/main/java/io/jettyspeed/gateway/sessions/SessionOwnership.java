package io.jettyspeed.gateway.sessions;

import io.jettyspeed.gateway.state.AggregateViews;
import io.jettyspeed.gateway.validation.Checks;
import org.springframework.stereotype.Component;

/**
 * A session belongs to the user who started it: an event for a session that the gateway's copy
 * knows as another user's is refused: 403 for a client key (it acts for its own user only), 400 for
 * an admin key whose event names a different {@code userId} than the session's.
 *
 * <p>A session the gateway's copy does not know (yet) passes here. That is safe because a session id
 * cannot be chosen or guessed ({@link SessionIds}): nobody else can name a session before its
 * owner's start has been answered, and the processors check every event against the session's
 * owner again (and never let an early chunk make its sender the owner).
 */
@Component
public class SessionOwnership {

    private final AggregateViews views;

    public SessionOwnership(AggregateViews views) {
        this.views = views;
    }

    /** Records a problem on {@code field} when the event's user is not the owner of the session it names. */
    public void check(Checks checks, String sessionId, String actingUserId, String field) {
        if (sessionId == null) {
            return;
        }
        String owner = views.session(sessionId).map(session -> session.getUserId()).orElse(null);
        if (owner == null) {
            return;
        }
        if (checks.caller().isBoundToUser()) {
            if (!owner.equals(checks.caller().userId())) {
                checks.forbidden(field, "is another user's upload session");
            }
        } else if (actingUserId != null && !owner.equals(actingUserId)) {
            checks.invalid(field, "belongs to another user than the event's userId");
        }
    }
}
