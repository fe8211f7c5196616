package io.jettyspeed.gateway.validation;

import io.jettyspeed.gateway.problems.FieldError;
import io.jettyspeed.gateway.problems.ProblemException;
import io.jettyspeed.gateway.security.Caller;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Everything found wrong with one request while reading it: invalid fields (400) and fields the
 * caller may not use (403). Reading goes on after the first error so that every offending field is
 * named at once.
 */
public final class Checks {

    private final Caller caller;
    private final Instant now;
    private final Duration maxClockSkew;
    private final List<FieldError> invalid = new ArrayList<>();
    private final List<FieldError> forbidden = new ArrayList<>();

    public Checks(Caller caller, Instant now, Duration maxClockSkew) {
        this.caller = caller;
        this.now = now;
        this.maxClockSkew = maxClockSkew;
    }

    /** The checks of one request received now. */
    public static Checks forRequest(Caller caller, io.jettyspeed.gateway.GatewayProperties properties) {
        return new Checks(caller, Instant.now(), properties.maxClockSkew());
    }

    public Caller caller() {
        return caller;
    }

    /** When the gateway received the request: the {@code receivedAt} of its events. */
    public Instant now() {
        return now;
    }

    public Duration maxClockSkew() {
        return maxClockSkew;
    }

    public void invalid(String field, String message) {
        invalid.add(new FieldError(field, message));
    }

    public void forbidden(String field, String message) {
        forbidden.add(new FieldError(field, message));
    }

    /** How many problems were found so far; a reader compares it before and after one event. */
    public int errorCount() {
        return invalid.size() + forbidden.size();
    }

    public boolean hasErrors() {
        return !invalid.isEmpty() || !forbidden.isEmpty();
    }

    /** The user an event acts for (see {@link Caller#actFor}). */
    public String actFor(String requestedUserId, String field, boolean required) {
        return caller.actFor(requestedUserId, field, required, invalid, forbidden);
    }

    /** 403 when a field is forbidden, else 400 when one is invalid, else nothing. */
    public void throwIfAny() {
        if (!forbidden.isEmpty()) {
            throw ProblemException.forbidden(forbidden.size() == 1
                    ? "Field '" + forbidden.get(0).field() + "': " + forbidden.get(0).message() + "."
                    : forbidden.size() + " fields may not be used by this key; see errors.", forbidden);
        }
        if (!invalid.isEmpty()) {
            throw ProblemException.invalid(invalid);
        }
    }
}
