package io.jettyspeed.gateway.security;

import java.time.Instant;
import java.util.Set;

/**
 * One row of {@code api_keys}: never the key itself, only its hash; with the storage plan of the
 * user a client key acts for ({@code users.plan}), null when the user has no row.
 */
public record StoredKey(String keyId, byte[] keyHash, Set<Scope> scopes, String userId, String description,
        int requestsPerSecond, Instant createdAt, Instant revokedAt, String userPlan) {

    public StoredKey(String keyId, byte[] keyHash, Set<Scope> scopes, String userId, String description,
            int requestsPerSecond, Instant createdAt, Instant revokedAt) {
        this(keyId, keyHash, scopes, userId, description, requestsPerSecond, createdAt, revokedAt, null);
    }

    public boolean revoked() {
        return revokedAt != null;
    }
}
