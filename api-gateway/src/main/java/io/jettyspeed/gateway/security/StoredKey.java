package io.jettyspeed.gateway.security;

import java.time.Instant;
import java.util.Set;

/** One row of {@code api_keys}: never the key itself, only its hash. */
public record StoredKey(String keyId, byte[] keyHash, Set<Scope> scopes, String userId, String description,
        int requestsPerSecond, Instant createdAt, Instant revokedAt) {

    public boolean revoked() {
        return revokedAt != null;
    }
}
