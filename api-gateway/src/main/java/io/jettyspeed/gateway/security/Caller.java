package io.jettyspeed.gateway.security;

import io.jettyspeed.schemas.Plan;

import io.jettyspeed.gateway.problems.FieldError;
import io.jettyspeed.gateway.problems.ProblemException;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The authenticated key behind a request: its public id, scopes and, for client keys, the one
 * user it acts for. Stored as a request attribute by {@link ApiKeyFilter}.
 */
public record Caller(String keyId, Set<Scope> scopes, String userId, Plan accountPlan) {

    public static final String ATTRIBUTE = "io.jettyspeed.gateway.security.Caller";

    public Caller {
        scopes = Set.copyOf(scopes);
    }

    public Caller(String keyId, Set<Scope> scopes, String userId) {
        this(keyId, scopes, userId, null);
    }

    public boolean isAdmin() {
        return scopes.contains(Scope.ADMIN);
    }

    /** Client keys (without admin) may only act for their bound user. */
    public boolean isBoundToUser() {
        return !isAdmin() && scopes.contains(Scope.CLIENT);
    }

    /** True when the key holds admin or any of the given scopes. */
    public boolean hasAny(Scope... allowed) {
        if (isAdmin()) {
            return true;
        }
        for (Scope scope : allowed) {
            if (scopes.contains(scope)) {
                return true;
            }
        }
        return false;
    }

    /** 403 unless the key holds admin or one of the given scopes. */
    public void require(String what, Scope... allowed) {
        if (!hasAny(allowed)) {
            throw ProblemException.forbidden(describeMissing(what, allowed), List.of());
        }
    }

    /** The message for a key that lacks every one of the given scopes. */
    public String describeMissing(String what, Scope... allowed) {
        String needed = java.util.Arrays.stream(allowed).map(Scope::dbName).collect(Collectors.joining(" or "));
        String held = scopes.stream().map(Scope::dbName).sorted().collect(Collectors.joining(", "));
        return "Key " + keyId + " (scopes: " + held + ") may not " + what + "; it needs the " + needed
                + " or admin scope.";
    }

    /**
     * The user an event is for: a client key fills in its own user and may not name another one; an
     * admin key must name one when {@code required}.
     */
    public String actFor(String requestedUserId, String field, boolean required, List<FieldError> invalid,
            List<FieldError> forbidden) {
        if (isBoundToUser()) {
            if (requestedUserId != null && !requestedUserId.equals(userId)) {
                forbidden.add(new FieldError(field, "a client key may only act for its own user"));
            }
            return userId;
        }
        if (requestedUserId == null && required) {
            invalid.add(new FieldError(field, "is required"));
        }
        return requestedUserId;
    }
}
