package io.jettyspeed.gateway.security;

import io.jettyspeed.gateway.GatewayProperties;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.sql.SQLException;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Component;

/**
 * Checks a presented API key against its stored hash in constant time. Look-ups (and misses) are
 * remembered for {@code jetty.gateway.security.key-cache-ttl}, so a revoked key stops working
 * within that time and the database sees at most one query per key per TTL. Within that time a key
 * that already matched is recognised by a constant-time comparison of its bytes, without hashing
 * it again (the SHA-256 and the regular expression were most of what authentication cost per request).
 */
@Component
public class ApiKeyAuthenticator {

    /** Compared against when the key id is unknown, so that a miss costs what a hit costs. */
    private static final byte[] NO_SUCH_KEY = ApiKeys.hash("ac_nosuchkey_0000000000000000");

    private final ApiKeyRepository repository;
    private final ObjectProvider<LocalDevKey> localDevKey;
    private final long ttlNanos;
    private final int maxEntries;
    private final LongSupplier nanoClock;
    private final ConcurrentHashMap<String, CachedKey> cache = new ConcurrentHashMap<>();

    @org.springframework.beans.factory.annotation.Autowired
    public ApiKeyAuthenticator(ApiKeyRepository repository, ObjectProvider<LocalDevKey> localDevKey,
            GatewayProperties properties) {
        this(repository, localDevKey, properties, System::nanoTime);
    }

    ApiKeyAuthenticator(ApiKeyRepository repository, ObjectProvider<LocalDevKey> localDevKey,
            GatewayProperties properties, LongSupplier nanoClock) {
        this.repository = repository;
        this.localDevKey = localDevKey;
        this.ttlNanos = properties.security().keyCacheTtl().toNanos();
        this.maxEntries = properties.security().keyCacheSize();
        this.nanoClock = nanoClock;
    }

    /** The key's owner, or empty when the key is malformed, unknown, wrong or revoked. */
    public Optional<Authenticated> authenticate(String key) throws SQLException {
        Optional<String> keyId = ApiKeys.keyId(key);
        if (keyId.isEmpty()) {
            return Optional.empty();
        }
        if (LocalDevKey.KEY_ID.equals(keyId.get()) && localDevKey.getIfAvailable() == null) {
            // A dev key left in the database by a local run never works outside the local profile.
            return Optional.empty();
        }
        long now = nanoClock.getAsLong();
        byte[] presented = key.getBytes(StandardCharsets.UTF_8);
        CachedKey cached = cache.get(keyId.get());
        if (cached != null && now - cached.loadedAt() < ttlNanos && cached.verified() != null
                && MessageDigest.isEqual(presented, cached.verified())) {
            // The very key that matched the stored hash within the TTL: no SHA-256 again.
            return Optional.of(cached.authenticated());
        }
        Optional<StoredKey> stored = lookup(keyId.get(), now);
        boolean matches = ApiKeys.matches(key, stored.map(StoredKey::keyHash).orElse(NO_SUCH_KEY));
        if (stored.isEmpty() || !matches || stored.get().revoked()) {
            return Optional.empty();
        }
        StoredKey row = stored.get();
        Authenticated authenticated = new Authenticated(new Caller(row.keyId(), row.scopes(), row.userId(),
                row.userPlan() == null ? null : io.jettyspeed.schemas.Plan.valueOf(row.userPlan())),
                row.requestsPerSecond());
        // Remembered until the row's own TTL ends (not renewed), so a revocation still takes effect within it.
        CachedKey entry = cache.get(keyId.get());
        if (entry != null && entry.key() == stored) {
            cache.replace(keyId.get(), entry, new CachedKey(stored, entry.loadedAt(), presented, authenticated));
        }
        return Optional.of(authenticated);
    }

    /** How many look-ups (hits and misses) are remembered; never more than key-cache-size. */
    public int cachedKeys() {
        return cache.size();
    }

    /** Forgets every remembered key (tests, and after the CLI changed keys in the same JVM). */
    public void evictAll() {
        cache.clear();
    }

    private Optional<StoredKey> lookup(String keyId, long now) throws SQLException {
        CachedKey cached = cache.get(keyId);
        if (cached != null && now - cached.loadedAt() < ttlNanos) {
            return cached.key();
        }
        Optional<StoredKey> key = repository.find(keyId);
        if (cache.size() >= maxEntries) {
            cache.clear();
        }
        cache.put(keyId, new CachedKey(key, now, null, null));
        return key;
    }

    /** An authenticated caller and its rate. */
    public record Authenticated(Caller caller, int requestsPerSecond) {
    }

    /**
     * A looked-up row (or its absence) and when; once a presented key matched its hash, that key's
     * bytes and the caller it authenticates, so the next request with the same key is a constant-time
     * comparison instead of a SHA-256 (one key per id: the row's hash admits exactly one key).
     */
    private record CachedKey(Optional<StoredKey> key, long loadedAt, byte[] verified, Authenticated authenticated) {
    }
}
