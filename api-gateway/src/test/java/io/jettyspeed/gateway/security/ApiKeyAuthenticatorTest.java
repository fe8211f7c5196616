package io.jettyspeed.gateway.security;

import static org.assertj.core.api.Assertions.assertThat;

import io.jettyspeed.gateway.GatewayProperties;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.support.StaticListableBeanFactory;

class ApiKeyAuthenticatorTest {

    private static final String KEY = "ac_abc123_Secret0123456789abcdefXYZ";
    private static final String SAME_ID_OTHER_SECRET = "ac_abc123_Secret0123456789abcdefXYy";
    private static final Duration TTL = Duration.ofSeconds(10);

    private final AtomicLong clock = new AtomicLong();
    private final AtomicInteger lookups = new AtomicInteger();
    private volatile Instant revokedAt;

    private final ApiKeyRepository repository = new ApiKeyRepository(null) {
        @Override
        public Optional<StoredKey> find(String keyId) {
            lookups.incrementAndGet();
            return Optional.of(new StoredKey("abc123", ApiKeys.hash(KEY), EnumSet.of(Scope.EDGE), null, "",
                    100, Instant.EPOCH, revokedAt));
        }
    };

    private final ApiKeyAuthenticator authenticator = new ApiKeyAuthenticator(repository,
            new StaticListableBeanFactory().getBeanProvider(LocalDevKey.class), properties(), clock::get);

    @Test
    void shouldAuthenticateARepeatedKeyFromTheCacheWithOneLookup() throws Exception {
        // when
        var first = authenticator.authenticate(KEY);
        var second = authenticator.authenticate(KEY);

        // then
        assertThat(first).isPresent();
        assertThat(second).isPresent();
        assertThat(second.get().caller().keyId()).isEqualTo("abc123");
        assertThat(second.get().requestsPerSecond()).isEqualTo(100);
        assertThat(lookups).hasValue(1);
    }

    @Test
    void shouldRefuseAnotherSecretForAKeyIdAlreadyVerified() throws Exception {
        // given
        assertThat(authenticator.authenticate(KEY)).isPresent();

        // when / then
        assertThat(authenticator.authenticate(SAME_ID_OTHER_SECRET)).isEmpty();
        assertThat(authenticator.authenticate(KEY)).isPresent();
    }

    @Test
    void shouldHonourARevocationOnceTheVerifiedKeysTtlHasPassed() throws Exception {
        // given: verified, then revoked in the database
        assertThat(authenticator.authenticate(KEY)).isPresent();
        revokedAt = Instant.now();

        // when
        clock.addAndGet(TTL.toNanos() - 1);
        var withinTtl = authenticator.authenticate(KEY);
        clock.addAndGet(1);
        var afterTtl = authenticator.authenticate(KEY);

        // then: the cached answer lasts at most the TTL from the look-up, never renewed by use
        assertThat(withinTtl).isPresent();
        assertThat(afterTtl).isEmpty();
        assertThat(lookups).hasValue(2);
    }

    private static GatewayProperties properties() {
        return new GatewayProperties("", 6, Duration.ofSeconds(6), Duration.ofSeconds(5), 500,
                org.springframework.util.unit.DataSize.ofMegabytes(1), Duration.ofMinutes(5), Duration.ofSeconds(2),
                Duration.ofSeconds(5), new GatewayProperties.Security(TTL, 100, 1), Duration.ofSeconds(30), 32, "",
                GatewayProperties.DedupScope.GLOBAL,
                new GatewayProperties.Freshness("p", Duration.ofMillis(50), Duration.ofSeconds(2), Duration.ZERO,
                        Duration.ofSeconds(5), 64),
                GatewayProperties.HttpMetrics.TIMER);
    }
}
