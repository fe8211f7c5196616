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
}
