package io.jettyspeed.gateway.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class RateLimiterTest {

    private final AtomicLong clock = new AtomicLong(1_000_000_000L);
    private final RateLimiter limiter = new RateLimiter(1, clock::get);

    @Test
    void shouldAllowOneSecondOfBurstThenAskToWait() {
        // given
        for (int i = 0; i < 10; i++) {
            assertThat(limiter.tryAcquire("k1", 10)).isZero();
        }

        // when
        Duration wait = limiter.tryAcquire("k1", 10);

        // then
        assertThat(wait).isPositive().isLessThanOrEqualTo(Duration.ofMillis(100));
    }

    @Test
    void shouldRefillAtTheKeysRate() {
        // given
        assertThat(limiter.tryAcquire("k2", 1)).isZero();
        assertThat(limiter.tryAcquire("k2", 1)).isPositive();

        // when
        clock.addAndGet(1_000_000_000L);

        // then
        assertThat(limiter.tryAcquire("k2", 1)).isZero();
    }

    @Test
    void shouldKeepBucketsOfDifferentKeysApart() {
        // given
        assertThat(limiter.tryAcquire("a", 1)).isZero();

        // when / then
        assertThat(limiter.tryAcquire("b", 1)).isZero();
        assertThat(limiter.tryAcquire("a", 1)).isPositive();
    }

    @Test
    void shouldDropIdleBucketsOnceManyKeysWereSeen() {
        // given: more keys than the limiter keeps idle buckets for, each used once
        for (int i = 0; i <= RateLimiter.MAX_IDLE_BUCKETS + 10; i++) {
            limiter.tryAcquire("key-" + i, 5);
        }
        assertThat(limiter.buckets()).isGreaterThan(RateLimiter.MAX_IDLE_BUCKETS);

        // when: they have all refilled, and one more request comes
        clock.addAndGet(2_000_000_000L);
        limiter.tryAcquire("busy", 5);

        // then: only the bucket in use is left, and a dropped key starts full again
        assertThat(limiter.buckets()).isEqualTo(1);
        assertThat(limiter.tryAcquire("key-1", 5)).isZero();
    }
}
