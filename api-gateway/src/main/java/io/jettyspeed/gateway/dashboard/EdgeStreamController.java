package io.jettyspeed.gateway.dashboard;

import io.jettyspeed.gateway.problems.ProblemException;
import io.jettyspeed.gateway.security.Caller;
import io.jettyspeed.gateway.security.Scope;
import io.swagger.v3.oas.annotations.Operation;
import java.time.Duration;
import java.util.List;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestAttribute;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

/**
 * {@code GET /api/jetty/edges/stream}: the live form of {@code GET /api/jetty/edges}, as
 * server-sent events. Authenticated like every {@code /api/**} call ({@code Authorization: Bearer}):
 * the dashboard page reads it with {@code fetch} and a streamed body, which, unlike
 * {@code EventSource}, can send the header, so the key never goes into a URL (and so into access
 * logs or browser history). Any key may read edge health; the totals across all users (uploads,
 * bytes, dedup savings) are sent to analyst and admin keys only.
 *
 * <p>Events: {@code snapshot} (every edge with its history, the recommendation shares, the totals),
 * then {@code edge} (one edge changed), {@code shares} and {@code totals}; a comment line every
 * 15 s keeps the connection alive.
 */
@RestController
public class EdgeStreamController {

    private final EdgeFeed feed;

    public EdgeStreamController(EdgeFeed feed) {
        this.feed = feed;
    }

    @Operation(summary = "Live edge health as server-sent events: snapshot, then edge, shares and totals changes")
    @GetMapping(path = "/api/jetty/edges/stream", produces = MediaType.TEXT_EVENT_STREAM_VALUE)
    public SseEmitter stream(@RequestAttribute(Caller.ATTRIBUTE) Caller caller) {
        EdgeFeed.Subscription subscription = feed.subscribe(caller.keyId(), caller.hasAny(Scope.ANALYST));
        if (subscription.refusal() == EdgeFeed.Refusal.TOO_MANY_FOR_KEY) {
            throw new ProblemException(HttpStatus.TOO_MANY_REQUESTS, "Too many requests",
                    "This key already has the most live edge streams it may hold open; close one or retry later.",
                    List.of(), Duration.ofSeconds(30));
        }
        if (subscription.emitter() == null) {
            throw ProblemException.unavailable("Too many dashboards are connected; retry later.", Duration.ofSeconds(30));
        }
        return subscription.emitter();
    }
}
