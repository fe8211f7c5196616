package io.jettyspeed.gateway.sessions;

import io.jettyspeed.gateway.state.AggregateViews;
import io.jettyspeed.gateway.validation.Checks;
import org.springframework.stereotype.Component;

/**
 * A session belongs to the user who started it: a client key may not report chunks or lifecycle
 * steps for another user's session (403). Checked against the gateway's copy of the sessions, so a
 * session the processors have not published yet passes here and is checked again by them (the
 * event then goes to the dead-letter topic).
 */
@Component
public class SessionOwnership {

    private final AggregateViews views;

    public SessionOwnership(AggregateViews views) {
        this.views = views;
    }

    /** Records a 403 on {@code field} when a client key names another user's session. */
    public void check(Checks checks, String sessionId, String field) {
        if (sessionId == null || !checks.caller().isBoundToUser()) {
            return;
        }
        views.session(sessionId).map(session -> session.getUserId())
                .filter(owner -> owner != null && !owner.equals(checks.caller().userId()))
                .ifPresent(owner -> checks.forbidden(field, "is another user's upload session"));
    }
}
