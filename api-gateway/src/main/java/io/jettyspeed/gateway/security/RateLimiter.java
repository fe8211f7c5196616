package io.jettyspeed.gateway.security;

import io.jettyspeed.gateway.GatewayProperties;
import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;
import org.springframework.stereotype.Component;

/**
 * A token bucket per API key, refilled at the key's {@code requests_per_second} and holding at
 * most {@code burst-seconds} worth of requests. In memory: with N gateway instances behind a load
 * balancer a key gets up to N times its rate, which the per-instance limit is sized for.
 *
 * <p>Only authenticated keys get a bucket, and a bucket that has refilled completely carries no
 * information (a new one would be the same), so past {@link #MAX_IDLE_BUCKETS} buckets the full
 * ones are dropped: the map holds the keys in recent use, not every key ever seen.
 */
@Component
public class RateLimiter {

    static final int MAX_IDLE_BUCKETS = 1_000;

    private final ConcurrentHashMap<String, Bucket> buckets = new ConcurrentHashMap<>();
    private final java.util.concurrent.atomic.AtomicLong lastSweep = new java.util.concurrent.atomic.AtomicLong(Long.MIN_VALUE / 2);
    private final int burstSeconds;
    private final LongSupplier nanoClock;

    @org.springframework.beans.factory.annotation.Autowired
    public RateLimiter(GatewayProperties properties) {
        this(properties.security().burstSeconds(), System::nanoTime);
    }

    RateLimiter(int burstSeconds, LongSupplier nanoClock) {
        this.burstSeconds = burstSeconds;
        this.nanoClock = nanoClock;
    }

    /** Zero when the request may go ahead, else how long until it would. */
    public Duration tryAcquire(String keyId, int requestsPerSecond) {
        Bucket bucket = buckets.compute(keyId, (id, existing) ->
                existing != null && existing.rate == requestsPerSecond ? existing
                        : new Bucket(requestsPerSecond, (double) requestsPerSecond * burstSeconds, nanoClock.getAsLong()));
        long now = nanoClock.getAsLong();
        Duration wait = bucket.take(now);
        long previousSweep = lastSweep.get();
        if (buckets.size() > MAX_IDLE_BUCKETS && now - previousSweep > 1_000_000_000L
                && lastSweep.compareAndSet(previousSweep, now)) {
            buckets.values().removeIf(b -> b.isFull(now));
        }
        return wait;
    }

    /** How many buckets are held. */
    public int buckets() {
        return buckets.size();
    }

    private static final class Bucket {
        private final int rate;
        private final double capacity;
        private double tokens;
        private long last;

        Bucket(int rate, double capacity, long now) {
            this.rate = rate;
            this.capacity = capacity;
            this.tokens = capacity;
            this.last = now;
        }

        synchronized boolean isFull(long now) {
            return Math.min(capacity, tokens + (now - last) / 1e9 * rate) >= capacity;
        }

        synchronized Duration take(long now) {
            tokens = Math.min(capacity, tokens + (now - last) / 1e9 * rate);
            last = now;
            if (tokens >= 1) {
                tokens -= 1;
                return Duration.ZERO;
            }
            return Duration.ofNanos((long) Math.ceil((1 - tokens) / rate * 1e9));
        }
    }
}
