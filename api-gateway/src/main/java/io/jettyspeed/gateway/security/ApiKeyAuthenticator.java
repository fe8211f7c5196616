package io.jettyspeed.gateway.security;

import io.jettyspeed.gateway.GatewayProperties;
import java.sql.SQLException;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Component;

/**
 * Checks a presented API key against its stored hash in constant time. Look-ups (and misses) are
 * remembered for {@code jetty.gateway.security.key-cache-ttl}, so a revoked key stops working
 * within that time and the database sees at most one query per key per TTL.
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
        Optional<StoredKey> stored = lookup(keyId.get());
        boolean matches = ApiKeys.matches(key, stored.map(StoredKey::keyHash).orElse(NO_SUCH_KEY));
        if (stored.isEmpty() || !matches || stored.get().revoked()) {
            return Optional.empty();
        }
        StoredKey row = stored.get();
        return Optional.of(new Authenticated(new Caller(row.keyId(), row.scopes(), row.userId(),
                row.userPlan() == null ? null : io.jettyspeed.schemas.Plan.valueOf(row.userPlan())),
                row.requestsPerSecond()));
    }

    /** How many look-ups (hits and misses) are remembered; never more than key-cache-size. */
    public int cachedKeys() {
        return cache.size();
    }

    /** Forgets every remembered key (tests, and after the CLI changed keys in the same JVM). */
    public void evictAll() {
        cache.clear();
    }

    private Optional<StoredKey> lookup(String keyId) throws SQLException {
        long now = nanoClock.getAsLong();
        CachedKey cached = cache.get(keyId);
        if (cached != null && now - cached.loadedAt() < ttlNanos) {
            return cached.key();
        }
        Optional<StoredKey> key = repository.find(keyId);
        if (cache.size() >= maxEntries) {
            cache.clear();
        }
        cache.put(keyId, new CachedKey(key, now));
        return key;
    }

    /** An authenticated caller and its rate. */
    public record Authenticated(Caller caller, int requestsPerSecond) {
    }

    private record CachedKey(Optional<StoredKey> key, long loadedAt) {
    }
}
